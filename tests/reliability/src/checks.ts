// What must hold once the system has settled, whatever was killed on the way.
// The write side (the stream is the system of record):
//   1. every order that got a 2xx is in the stream (its own subject) and is final or resting;
//   2. the venue holds exactly one order per client order id, and no order we do not know;
//   3. every venue fill is recorded exactly once as an OrderFilled event, and none the venue did
//      not make; every order's status and filled quantity in the stream agree with the venue.
// The read side (projections of the stream):
//   4. the read models equal a rebuild from the stream (`verifyReadModels`), hash chains hold,
//      nothing was dead-lettered, every fill has its trades row, every order row agrees with the
//      venue, and every user's balances (free + locked) equal the venue's.
import { dec, type Dec, type ExistingOrder, orderAggregate, type OrderState } from '@blotter/orders';
import { verifyReadModels } from '@blotter/read-models';
import type { OrderEvent } from '@blotter/schemas';
import type { Cluster, User } from './cluster.ts';
import type { PlaceRecord } from './load.ts';
import { CLOSED_STATUSES, VENUE_WORKING_STATUSES } from '@blotter/schemas';
import { eventually } from '@blotter/test-kit';

export const FINAL: ReadonlySet<string> = new Set(CLOSED_STATUSES);
/** Working on the venue's book: the venue's statuses, and the read model's that mirror them. */
export const RESTING: ReadonlySet<string> = new Set(VENUE_WORKING_STATUSES);

export interface WriteSide {
  accepted: number;
  /** Accepted orders found on their subject in the stream. */
  inStream: number;
  lost: { clientOrderId: string; orderId: string; userId: string }[];
  /** Accepted orders still PENDING_NEW / PENDING_CANCEL (or otherwise not final nor resting). */
  unsettled: { orderId: string; status: string }[];
  /** Status of the accepted orders, from the stream. */
  statuses: Record<string, number>;
  ordersInStream: number;
  venueOrders: number;
  duplicatedVenueOrders: { clientOrderId: string; count: number }[];
  /** Venue orders whose client order id is no order of ours. */
  strayVenueOrders: string[];
  /** Orders the stream says the venue acknowledged that the venue does not have. */
  missingAtVenue: string[];
  venueFills: number;
  fillEvents: number;
  /** A venue trade recorded more than once as OrderFilled. */
  duplicatedFills: string[];
  /** A venue trade with no OrderFilled event. */
  missingFills: string[];
  /** An OrderFilled event for a trade the venue did not make. */
  phantomFills: string[];
  /** The stream and the venue disagree on an order's filled quantity or on it being open. */
  venueMismatches: { orderId: string; venue: string; ours: string }[];
}

export interface ReadSide {
  verify: { ok: boolean; commits: number; differences: number; brokenLinks: number; undecodable: number; sample: unknown[] };
  deadLetters: number;
  tradeRows: number;
  /** OrderFilled events without their trades row, and rows without their event. */
  missingTradeRows: string[];
  extraTradeRows: string[];
  /** Order rows that disagree with the venue. */
  orderRowMismatches: { orderId: string; venue: string; ours: string }[];
  /** Venue balance (free + locked) differs from our balances read model. */
  balanceMismatches: { userId: string; asset: string; venue: string; ours: string }[];
}

export interface Findings {
  write: WriteSide;
  read: ReadSide;
}

async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}

export interface StreamView {
  orders: Map<string, ExistingOrder>;
  /** Trade ids of the OrderFilled events per order, in stream order. */
  fills: Map<string, string[]>;
}

/** Every order as the stream has it: one ordered read of the whole stream, folded per order. */
export async function streamView(c: Cluster): Promise<StreamView> {
  const states = new Map<string, OrderState>();
  const fills = new Map<string, string[]>();
  for await (const commit of c.store.read()) {
    if (!commit.subject.includes('.order.')) continue;
    for (const e of commit.events) {
      if (!orderAggregate.isEvent(e)) continue;
      const ev = e as OrderEvent;
      const id = e.aggregateId;
      states.set(
        id,
        orderAggregate.evolve(states.get(id) ?? orderAggregate.initialState(), ev, { seq: commit.seq, occurredAt: e.occurredAt }),
      );
      if (ev.type === 'OrderFilled') fills.set(id, [...(fills.get(id) ?? []), ev.data.tradeId]);
    }
  }
  const orders = new Map<string, ExistingOrder>();
  for (const [id, s] of states) if (s.status !== 'NONE') orders.set(id, s);
  return { orders, fills };
}

const venueOrderStatus = (s: string) => (s === 'EXPIRED_IN_MATCH' ? 'EXPIRED' : s);

export interface VenueView {
  orders: Map<string, { status: string; executedQty: string; count: number; userId: string }>;
  trades: Map<string, string[]>;
  balances: Map<string, Map<string, Dec>>;
}

/** The venue's view per user: orders and trades by client order id (= our order id), balances. */
export async function venueView(c: Cluster, users: readonly User[]): Promise<VenueView> {
  const orders: VenueView['orders'] = new Map();
  const trades = new Map<string, string[]>();
  const balances = new Map<string, Map<string, Dec>>();
  for (const u of users) {
    const list = await c.sim.admin.orders(u.apiKey);
    // Venue order ids (and trade ids) are per symbol, as on Binance.
    const byVenueId = new Map<string, string>();
    for (const o of list) {
      byVenueId.set(`${o.symbol}:${o.orderId}`, o.clientOrderId);
      const prev = orders.get(o.clientOrderId);
      orders.set(o.clientOrderId, {
        status: venueOrderStatus(o.status),
        executedQty: String(o.executedQty),
        count: (prev?.count ?? 0) + 1,
        userId: u.userId,
      });
    }
    const account = c.sim.simulator.accounts.find(u.apiKey);
    for (const t of account?.trades ?? []) {
      const coid = byVenueId.get(`${t.symbol}:${t.orderId}`) ?? `venue-order-${t.symbol}:${t.orderId}`;
      trades.set(coid, [...(trades.get(coid) ?? []), `${t.symbol}:${t.id}`]);
    }
    const bal = new Map<string, Dec>();
    for (const b of await c.sim.admin.balances(u.apiKey)) bal.set(b.asset, dec(b.free).plus(b.locked));
    balances.set(u.userId, bal);
  }
  return { orders, trades, balances };
}

type OrderLike = { status: string; filledQuantity: string };
const agrees = (v: { status: string; executedQty: string }, o: OrderLike | undefined) =>
  o !== undefined && dec(o.filledQuantity).eq(v.executedQty) && RESTING.has(v.status) === RESTING.has(o.status);

function mismatches(venue: VenueView, ours: Map<string, OrderLike>): { orderId: string; venue: string; ours: string }[] {
  const out: { orderId: string; venue: string; ours: string }[] = [];
  for (const [coid, v] of venue.orders) {
    const o = ours.get(coid);
    if (!agrees(v, o))
      out.push({ orderId: coid, venue: `${v.status} ${v.executedQty}`, ours: o ? `${o.status} ${o.filledQuantity}` : 'none' });
  }
  return out;
}

/** A consumer that had work but did not move and had nobody pulling, and the restart that freed it. */
export interface Stall {
  consumer: string;
  /** Work waiting (num_pending + num_ack_pending) when it was declared stalled. */
  lag: number;
  /** How long it had not moved, ms. */
  stuckMs: number;
  /** The process restarted to free it. */
  restarted: string;
  restartMs: number;
}

export interface SettleResult {
  ms: number;
  /** Partitions found stalled (a held lease nobody consumes), each freed by restarting its process. */
  stalls: Stall[];
  /** The write side settled: consumers idle, nothing PENDING in the stream, the stream agrees with the venue. */
  settled: boolean;
  /** And the read models agree with the venue too (within `readGraceMs` after that). */
  readSideAgrees: boolean;
  last: Record<string, unknown>;
}

/**
 * Waits until nothing moves any more: projector and executor consumers have nothing pending, no
 * order is PENDING_NEW / PENDING_CANCEL in the stream, and the venue agrees with the stream. Prices
 * are pinned first, so resting orders cannot fill while we compare. Gives up after `timeoutMs`, or
 * earlier when the consumers have been idle for `idleGiveUpMs` and it still does not hold.
 */
export async function settle(
  c: Cluster,
  users: readonly User[],
  timeoutMs: number,
  idleGiveUpMs = 60_000,
  stallMs = 20_000,
): Promise<SettleResult> {
  const t0 = Date.now();
  const stalls: Stall[] = [];
  const watch = new Map<string, { mark: string; since: number }>();
  /**
   * A partition whose lease its process holds but whose consumer nobody pulls from does not move
   * again by itself (a bug once: leases.ts kept a lease whose partition failed to start). Like a liveness probe would, restart the process
   * that holds it, and record the stall: the no-loss checks then still say whether anything was lost.
   */
  const unstick = async (): Promise<void> => {
    for (const group of ['projector', 'executor'] as const) {
      for (let p = 0; p < c.store.partitions; p++) {
        const name = `${group}-p${p}`;
        const info = await c.store.jsm.consumers.info(c.store.streams.events, name).catch(() => null);
        if (!info) continue;
        const lag = info.num_pending + info.num_ack_pending;
        // Someone pulls (a live loop keeps pull requests open), or nothing to do: not stalled.
        if (lag === 0 || info.num_waiting > 0) {
          watch.delete(name);
          continue;
        }
        const mark = `${info.created}|${info.delivered.stream_seq}|${info.ack_floor.stream_seq}`;
        const prev = watch.get(name);
        if (!prev || prev.mark !== mark) {
          watch.set(name, { mark, since: Date.now() });
          continue;
        }
        const stuckMs = Date.now() - prev.since;
        if (stuckMs < stallMs) continue;
        const proc = group === 'projector' ? c.projector : c.executor;
        await proc.kill();
        proc.start();
        const restartMs = await proc.waitReady(90_000);
        stalls.push({ consumer: name, lag, stuckMs, restarted: proc.name, restartMs });
        watch.clear();
        return;
      }
    }
  };
  for (const { symbol, price } of await c.sim.admin.prices()) await c.sim.admin.pinPrice(symbol, Number(price).toFixed(2));
  let last: Record<string, unknown> = {};
  let streak = 0;
  let idleSince = 0;
  // Polled by the kit's eventually(): 'settled' after two calm rounds in a row, 'idle' when the
  // consumers have had nothing to do for idleGiveUpMs and it still does not hold (no use waiting).
  const outcome = await eventually(
    async () => {
      try {
        await unstick();
        const projector = await c.totalLag('projector');
        const executor = await c.totalLag('executor');
        let pending = -1;
        let venueMismatches = -1;
        if (projector === 0 && executor === 0) {
          idleSince ||= Date.now();
          const [stream, venue] = [await streamView(c), await venueView(c, users)];
          pending = [...stream.orders.values()].filter((o) => o.status === 'PENDING_NEW' || o.status === 'PENDING_CANCEL').length;
          venueMismatches = mismatches(venue, stream.orders).length;
        } else idleSince = 0;
        last = { projectorLag: projector, executorLag: executor, pendingInStream: pending, venueMismatches };
        if (pending === 0 && venueMismatches === 0) {
          if (++streak >= 2) return 'settled';
        } else streak = 0;
        if (idleSince && Date.now() - idleSince > idleGiveUpMs) return 'idle';
      } catch (err) {
        last = { error: String(err) };
        streak = 0;
      }
      return undefined;
    },
    timeoutMs,
    'the cluster to settle',
    1500,
  ).catch(() => 'timed out');
  const settled = outcome === 'settled';
  // The read side: order rows agree with the venue once the projector has caught up.
  const readSideAgrees =
    settled &&
    (await eventually(
      async () => {
        const rows = await c.db.selectFrom('orders').select(['orderId', 'status', 'filledQuantity']).execute();
        return mismatches(await venueView(c, users), new Map(rows.map((r) => [r.orderId, r]))).length === 0;
      },
      15_000,
      'the read side to agree with the venue',
      1000,
    ).catch(() => false));
  return { ms: Date.now() - t0, stalls, settled, readSideAgrees, last };
}

export async function check(c: Cluster, users: readonly User[], accepted: readonly PlaceRecord[]): Promise<Findings> {
  const w: WriteSide = {
    accepted: accepted.length,
    inStream: 0,
    lost: [],
    unsettled: [],
    statuses: {},
    ordersInStream: 0,
    venueOrders: 0,
    duplicatedVenueOrders: [],
    strayVenueOrders: [],
    missingAtVenue: [],
    venueFills: 0,
    fillEvents: 0,
    duplicatedFills: [],
    missingFills: [],
    phantomFills: [],
    venueMismatches: [],
  };

  // 1. Every accepted order on its own subject, final or resting.
  await pool(accepted, 16, async (p) => {
    const orderId = p.orderId as string;
    const commits = await c.store.readSubject(c.store.subjects.order(p.user.userId, orderId));
    if (commits.length === 0) {
      w.lost.push({ clientOrderId: p.body.clientOrderId, orderId, userId: p.user.userId });
      return;
    }
    w.inStream++;
    let state: OrderState = orderAggregate.initialState();
    for (const commit of commits)
      for (const e of commit.events) state = orderAggregate.evolve(state, e as OrderEvent, { seq: commit.seq, occurredAt: e.occurredAt });
    const status = state.status;
    w.statuses[status] = (w.statuses[status] ?? 0) + 1;
    if (state.status === 'NONE' || state.clientOrderId !== p.body.clientOrderId || !(FINAL.has(status) || RESTING.has(status)))
      w.unsettled.push({ orderId, status });
  });

  // 2 + 3. The venue against the stream.
  const stream = await streamView(c);
  w.ordersInStream = stream.orders.size;
  const venue = await venueView(c, users);
  for (const [coid, v] of venue.orders) {
    w.venueOrders += v.count;
    if (v.count > 1) w.duplicatedVenueOrders.push({ clientOrderId: coid, count: v.count });
    if (!stream.orders.has(coid)) w.strayVenueOrders.push(coid);
  }
  w.venueMismatches = mismatches(venue, stream.orders).filter((m) => m.ours !== 'none');
  for (const [orderId, o] of stream.orders) if (o.venueOrderId !== null && !venue.orders.has(orderId)) w.missingAtVenue.push(orderId);
  // Stream fills carry the venue's trade id; the venue's are "<symbol>:<id>".
  const symbolOf = (orderId: string) => stream.orders.get(orderId)?.symbol ?? '?';
  const streamFills = new Map([...stream.fills].map(([id, ids]) => [id, ids.map((t) => `${symbolOf(id)}:${t}`)]));
  for (const [, ids] of venue.trades) w.venueFills += ids.length;
  for (const [, ids] of streamFills) w.fillEvents += ids.length;
  for (const orderId of new Set([...venue.trades.keys(), ...streamFills.keys()])) {
    const atVenue = venue.trades.get(orderId) ?? [];
    const events = streamFills.get(orderId) ?? [];
    const counts = new Map<string, number>();
    for (const id of events) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const [id, n] of counts) if (n > 1) w.duplicatedFills.push(`${orderId}:${id} x${n}`);
    for (const id of atVenue) if (!counts.has(id)) w.missingFills.push(`${orderId}:${id}`);
    for (const id of counts.keys()) if (!atVenue.includes(id)) w.phantomFills.push(`${orderId}:${id}`);
  }

  // 4. The read side.
  const r: ReadSide = {
    verify: { ok: false, commits: 0, differences: 0, brokenLinks: 0, undecodable: 0, sample: [] },
    deadLetters: 0,
    tradeRows: 0,
    missingTradeRows: [],
    extraTradeRows: [],
    orderRowMismatches: [],
    balanceMismatches: [],
  };
  const tradeRows = await c.db.selectFrom('trades').select(['orderId', 'tradeId']).execute();
  r.tradeRows = tradeRows.length;
  const rowKeys = new Set(tradeRows.map((t) => `${t.orderId}:${t.tradeId}`));
  const eventKeys = new Set([...stream.fills].flatMap(([id, ids]) => ids.map((t) => `${id}:${t}`)));
  for (const k of eventKeys) if (!rowKeys.has(k)) r.missingTradeRows.push(k);
  for (const k of rowKeys) if (!eventKeys.has(k)) r.extraTradeRows.push(k);
  const orderRows = await c.db.selectFrom('orders').select(['orderId', 'status', 'filledQuantity']).execute();
  r.orderRowMismatches = mismatches(venue, new Map(orderRows.map((o) => [o.orderId, o])));
  // Balances: what the venue holds (free + locked) equals what our ledger says each user holds.
  const balRows = await c.db.selectFrom('balances').select(['userId', 'asset', 'free', 'locked']).execute();
  for (const u of users) {
    const ours = new Map<string, Dec>();
    for (const b of balRows) if (b.userId === u.userId) ours.set(b.asset, dec(b.free).plus(b.locked));
    const theirs = venue.balances.get(u.userId) ?? new Map<string, Dec>();
    for (const asset of new Set([...ours.keys(), ...theirs.keys()])) {
      const a = theirs.get(asset) ?? dec(0);
      const b = ours.get(asset) ?? dec(0);
      if (!a.eq(b)) r.balanceMismatches.push({ userId: u.userId, asset, venue: a.toString(), ours: b.toString() });
    }
  }
  const report = await verifyReadModels(c.store, c.db, 'public');
  r.verify = {
    ok: report.ok,
    commits: report.commits,
    differences: report.differences.length,
    brokenLinks: report.chain.brokenLinks.length,
    undecodable: report.undecodable.length,
    sample: [...report.differences.slice(0, 5), ...report.chain.brokenLinks.slice(0, 5)],
  };
  r.deadLetters = await c.deadLetters();
  return { write: w, read: r };
}
