// The differential test: random sequences of orders through the real gateway, executor and
// simulator, each checked against the venue afterwards. The venue is the truth:
//  - every asset's free + locked in Blotter equals the simulator's account;
//  - every order's executed quantity and fees per asset equal the venue's (order query + myTrades),
//    and its final status is the venue's;
//  - every position equals one rebuilt from the venue's trade list (average cost, applyFill).
// Sequences run concurrently, one user each, while the executor is restarted under all of them.
// A sequence's seed replays its schedule of actions (the restarts fall where they fall).
import { setTimeout as sleep } from 'node:timers/promises';
import { createBinanceVenue, type VenueClient, type VenueOrderReport } from '@blotter/executor/venue';
import { applyFill, dec, type Dec, flatPosition, floorToStep, type PositionState, str } from '@blotter/orders';
import { OPEN_STATUSES, type VenueFill } from '@blotter/schemas';
import { rng } from './rng.ts';
import {
  as,
  blotterTotals,
  type ExecutorHandle,
  newUser,
  type Session,
  type Stack,
  startExecutor,
  venueKeysOf,
  venueTotals,
} from './stack.ts';

export interface Difference {
  seed: number;
  what: string;
}

export interface DifferentialOptions {
  stack: Stack;
  sequences: number;
  /** Sequences in flight at once. */
  concurrency: number;
  firstSeed?: number;
  /** The executor is stopped and started again this often, ms (0: never). */
  restartEveryMs: number;
  onDifference?: (d: Difference) => void;
  onSequence?: (done: number) => void;
}

export interface DifferentialResult {
  sequences: number;
  differences: Difference[];
  restarts: number;
}

interface SymbolSpec {
  symbol: string;
  base: string;
  step: string;
}

const SYMBOLS: readonly SymbolSpec[] = [
  { symbol: 'BTCUSDT', base: 'BTC', step: '0.00001' },
  { symbol: 'ETHUSDT', base: 'ETH', step: '0.0001' },
  { symbol: 'SOLUSDT', base: 'SOL', step: '0.001' },
  { symbol: 'BNBUSDT', base: 'BNB', step: '0.001' },
];
const TICK = '0.01';
const OPEN: ReadonlySet<string> = new Set(OPEN_STATUSES);
/** Blotter's final status for each of the venue's. */
const FINAL_OF: Record<string, string> = {
  FILLED: 'FILLED',
  CANCELED: 'CANCELED',
  EXPIRED: 'EXPIRED',
  EXPIRED_IN_MATCH: 'EXPIRED',
  REJECTED: 'REJECTED',
};
const SETTLE_MS = 120_000;

export async function runDifferential(o: DifferentialOptions): Promise<DifferentialResult> {
  const differences: Difference[] = [];
  const firstSeed = o.firstSeed ?? 1;
  const restarter = o.restartEveryMs > 0 ? restartLoop(o.stack, o.restartEveryMs) : staticExecutor(o.stack);
  const counterparty = await Counterparty.open(o.stack);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < o.sequences) {
      const seed = firstSeed + next++;
      let found: string[];
      try {
        found = await runSequence(o.stack, counterparty, seed);
      } catch (err) {
        found = [`the sequence failed: ${err instanceof Error ? err.message : String(err)}`];
      }
      for (const what of found) {
        const d = { seed, what };
        differences.push(d);
        o.onDifference?.(d);
      }
      done++;
      o.onSequence?.(done);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  } finally {
    await counterparty.close();
  }
  const restarts = await restarter.stop();
  return { sequences: done, differences, restarts };
}

/** One executor for the whole run. */
function staticExecutor(stack: Stack) {
  const started = startExecutor(stack, { pollMs: 1000, reconcileMs: 5000 });
  return {
    stop: async () => {
      await (await started).stop();
      return 0;
    },
  };
}

/** Stops the executor and starts a new one every `everyMs`, under every running sequence. */
function restartLoop(stack: Stack, everyMs: number) {
  let handle: Promise<ExecutorHandle> = startExecutor(stack, { pollMs: 1000, reconcileMs: 5000 });
  let running = true;
  let restarts = 0;
  const loop = (async () => {
    while (running) {
      await sleep(everyMs);
      if (!running) break;
      await (await handle).stop();
      await sleep(200);
      handle = startExecutor(stack, { pollMs: 1000, reconcileMs: 5000 });
      await handle;
      restarts++;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await (await handle).stop();
      return restarts;
    },
  };
}

/** Another venue account that trades into users' resting orders (partial fills, cancels racing fills). */
class Counterparty {
  private constructor(private readonly venue: VenueClient) {}

  static async open(stack: Stack): Promise<Counterparty> {
    const account = await stack.sim.admin.createAccount({ USDT: '100000000', BTC: '10000', ETH: '100000', SOL: '1000000', BNB: '1000000' });
    return new Counterparty(
      await createBinanceVenue({ apiKey: account.apiKey, apiSecret: account.apiSecret, kind: 'paper', baseUrl: stack.sim.url }),
    );
  }

  private n = 0;

  /** An IOC at `price` on the other side of an order of ours: it trades with whatever rests there first. */
  async hit(symbol: string, side: 'BUY' | 'SELL', price: string, quantity: string): Promise<void> {
    await this.venue
      .placeOrder({
        symbol,
        side,
        type: 'LIMIT',
        quantity,
        price,
        stopPrice: null,
        timeInForce: 'IOC',
        clientOrderId: `cp-${process.pid}-${++this.n}`,
      })
      .catch(() => {});
  }

  close(): Promise<void> {
    return this.venue.close();
  }
}

interface Placed {
  orderId: string;
  spec: SymbolSpec;
  side: 'BUY' | 'SELL';
  type: string;
  quantity: string;
  price: string | null;
}

interface Book {
  bid: Dec;
  ask: Dec;
}

/** One sequence for a new user: its actions, then everything closed, then the comparison. */
async function runSequence(stack: Stack, counterparty: Counterparty, seed: number): Promise<string[]> {
  const r = rng(seed);
  const session = await newUser(stack);
  const api = as(stack.app, session);
  const symbols = r.chance(0.7) ? [r.pick(SYMBOLS)] : [r.pick(SYMBOLS), r.pick(SYMBOLS)];
  const placed: Placed[] = [];

  const book = async (symbol: string): Promise<Book> => {
    const res = await fetch(`${stack.sim.url}/api/v3/ticker/bookTicker?symbol=${symbol}`);
    const b = (await res.json()) as { bidPrice: string; askPrice: string };
    return { bid: dec(b.bidPrice), ask: dec(b.askPrice) };
  };
  const tick = (p: Dec) => str(floorToStep(p, TICK));
  const quantity = (spec: SymbolSpec, price: Dec) => str(floorToStep(dec(r.int(8, 150)).div(price), spec.step));
  const place = async (spec: SymbolSpec, terms: Omit<Placed, 'orderId' | 'spec'> & { timeInForce?: string; stopPrice?: string }) => {
    const res = await api({ method: 'POST', url: '/api/orders', payload: { symbol: spec.symbol, ...terms } });
    if (res.statusCode === 201) placed.push({ orderId: res.json().order.orderId, spec, ...terms });
  };
  const cancel = (orderId: string) => api({ method: 'DELETE', url: `/api/orders/${orderId}` });
  const resting = () => placed.filter((p) => p.price !== null);

  // A first MARKET buy of each symbol, so that SELLs have something to sell.
  for (const spec of symbols) {
    const b = await book(spec.symbol);
    await place(spec, { side: 'BUY', type: 'MARKET', quantity: quantity(spec, b.ask), price: null });
  }
  const steps = r.int(4, 10);
  for (let i = 0; i < steps; i++) {
    const spec = r.pick(symbols);
    const b = await book(spec.symbol);
    const mid = dec(tick(b.bid.plus(b.ask).div(2)));
    const side = r.pick(['BUY', 'SELL'] as const);
    const qty = quantity(spec, mid);
    const action = r.pick(['market', 'cross', 'cross', 'rest', 'mid', 'mid', 'stop', 'hit', 'race', 'cancel', 'stp', 'pause'] as const);
    switch (action) {
      case 'market':
        await place(spec, { side, type: 'MARKET', quantity: qty, price: null });
        break;
      case 'cross': {
        const price = side === 'BUY' ? tick(b.ask.times('1.001')) : tick(b.bid.times('0.999'));
        await place(spec, { side, type: 'LIMIT', quantity: qty, price, timeInForce: r.pick(['GTC', 'IOC', 'FOK']) });
        break;
      }
      case 'rest': {
        const price = side === 'BUY' ? tick(b.bid.times('0.995')) : tick(b.ask.times('1.005'));
        await place(spec, { side, type: 'LIMIT', quantity: qty, price, timeInForce: 'GTC' });
        break;
      }
      case 'mid':
        await place(spec, { side, type: 'LIMIT', quantity: qty, price: str(mid), timeInForce: 'GTC' });
        break;
      case 'stop': {
        // Stops a few basis points away: some trigger while the sequence runs, some never do.
        const type = r.pick(['STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'] as const);
        const above = (side === 'BUY') === (type === 'STOP_LOSS_LIMIT');
        const stop = dec(tick(mid.times(above ? '1.0003' : '0.9997')));
        const price = tick(stop.times(side === 'BUY' ? '1.002' : '0.998'));
        await place(spec, { side, type, quantity: qty, price, stopPrice: str(stop), timeInForce: 'GTC' });
        break;
      }
      case 'hit':
      case 'race': {
        const target = resting().length > 0 ? r.pick(resting()) : null;
        if (!target || target.price === null) break;
        const part = str(floorToStep(dec(target.quantity).times(r.pick(['0.3', '0.5', '1.2'])), target.spec.step));
        if (dec(part).lte(0)) break;
        const hit = counterparty.hit(target.spec.symbol, target.side === 'BUY' ? 'SELL' : 'BUY', target.price, part);
        // A cancel sent while the venue is filling the order: whichever the venue takes first wins.
        if (action === 'race') await Promise.all([hit, cancel(target.orderId)]);
        else await hit;
        break;
      }
      case 'cancel': {
        const target = placed.length > 0 ? r.pick(placed) : null;
        if (target) await cancel(target.orderId);
        break;
      }
      case 'stp': {
        // Our own order against our own resting one: the venue's self-trade prevention expires one.
        const own = resting().filter((p) => p.type === 'LIMIT');
        const target = own.length > 0 ? r.pick(own) : null;
        if (!target || target.price === null) break;
        await place(target.spec, {
          side: target.side === 'BUY' ? 'SELL' : 'BUY',
          type: 'LIMIT',
          quantity: target.quantity,
          price: target.price,
          timeInForce: r.pick(['GTC', 'IOC']),
        });
        break;
      }
      case 'pause':
        await sleep(r.int(50, 400));
        break;
    }
  }

  const unsettled = await settle(
    api,
    placed.map((p) => p.orderId),
  );
  if (unsettled.length > 0) return [`orders still open in Blotter after ${SETTLE_MS / 1000} s: ${unsettled.join(', ')}`];
  return compare(stack, session, placed);
}

/** Cancels whatever is open and waits until Blotter has every order final; returns those that are not. */
async function settle(api: ReturnType<typeof as>, orderIds: readonly string[]): Promise<string[]> {
  const deadline = Date.now() + SETTLE_MS;
  let open = [...orderIds];
  let lastCancel = 0;
  while (open.length > 0 && Date.now() < deadline) {
    const statuses = await Promise.all(
      open.map(async (id) => [id, (await api({ method: 'GET', url: `/api/orders/${id}` })).json().order?.status] as const),
    );
    // Not in the read model yet (undefined) counts as open.
    open = statuses.filter(([, s]) => s === undefined || OPEN.has(s)).map(([id]) => id);
    if (process.env.MONEY_DEBUG) console.error('settle', statuses);
    if (open.length === 0) break;
    // A cancel refused because a fill won the race leaves the rest working: cancel again now and then.
    if (Date.now() - lastCancel > 3000) {
      lastCancel = Date.now();
      await Promise.all(open.map((id) => api({ method: 'DELETE', url: `/api/orders/${id}` })));
    }
    await sleep(250);
  }
  return open;
}

type SidedFill = VenueFill & { side: 'BUY' | 'SELL' };

interface OrderView {
  orderId: string;
  symbol: string;
  status: string;
  filledQuantity: string;
  fees: { asset: string; amount: string }[];
}

/** The differences between Blotter and the venue for one settled sequence. */
async function compare(stack: Stack, session: Session, placed: readonly Placed[]): Promise<string[]> {
  const out: string[] = [];
  const api = as(stack.app, session);
  const keys = await venueKeysOf(stack, session.userId);
  const venue = await createBinanceVenue({ ...keys, kind: 'paper', baseUrl: stack.sim.url });
  try {
    const fillsBySymbol = new Map<string, SidedFill[]>();
    const atVenue = new Map<string, VenueOrderReport | null>();
    for (const p of placed) {
      const theirs = await venue.queryOrder(p.spec.symbol, p.orderId);
      atVenue.set(p.orderId, theirs);
      const sided = (theirs?.fills ?? []).map((f) => ({ ...f, side: p.side }));
      fillsBySymbol.set(p.spec.symbol, [...(fillsBySymbol.get(p.spec.symbol) ?? []), ...sided]);
    }
    // An order's row in the read model can lag behind the stream the gateway read when it had no row.
    const orders = await lasting(async () => {
      const diffs: string[] = [];
      for (const p of placed) {
        const ours = (await api({ method: 'GET', url: `/api/orders/${p.orderId}` })).json().order as OrderView;
        diffs.push(...compareOrder(ours, atVenue.get(p.orderId) ?? null));
      }
      return diffs.length > 0 ? diffs.join('\n') : null;
    });
    if (orders) out.push(...orders.split('\n'));
    const strays = (await venue.openOrders()).filter((o) => placed.some((p) => p.orderId === o.clientOrderId));
    for (const s of strays) out.push(`order ${s.clientOrderId}: open at the venue (${s.status}), final in Blotter`);

    // The read models may still be catching up: a difference counts only if it lasts.
    const balances = await lasting(async () => {
      const [ours, venueSide] = [await blotterTotals(stack, session), await venueTotals(stack, session.userId)];
      const same = JSON.stringify(ours) === JSON.stringify(venueSide);
      return same ? null : `balances (free + locked): Blotter ${JSON.stringify(ours)}, venue ${JSON.stringify(venueSide)}`;
    });
    if (balances) out.push(balances);

    const positions = await lasting(async () => {
      const list = (await api({ method: 'GET', url: '/api/positions' })).json().positions as (PositionState & { symbol: string })[];
      const diffs: string[] = [];
      for (const [symbol, fills] of fillsBySymbol) {
        const expected = rebuildPosition(fills, SYMBOLS.find((s) => s.symbol === symbol)?.base ?? '', 'USDT');
        const ours = list.find((p) => p.symbol === symbol) ?? flatPosition();
        const fields = ['quantity', 'avgEntryPrice', 'realizedPnl'] as const;
        for (const f of fields)
          if (!dec(ours[f]).eq(expected[f]))
            diffs.push(`position ${symbol} ${f}: Blotter ${ours[f]}, from the venue's trades ${expected[f]}`);
        if (feesKey(ours.feesByAsset) !== feesKey(expected.feesByAsset))
          diffs.push(`position ${symbol} fees: Blotter ${feesKey(ours.feesByAsset)}, venue ${feesKey(expected.feesByAsset)}`);
      }
      return diffs.length > 0 ? diffs.join('; ') : null;
    });
    if (positions) out.push(`${positions}${await recordingOrderNote(api, fillsBySymbol)}`);
  } finally {
    await venue.close();
  }
  return out;
}

function compareOrder(ours: OrderView, theirs: VenueOrderReport | null): string[] {
  const id = ours.orderId;
  if (ours.status === 'DENIED') return theirs ? [`order ${id}: denied by Blotter but known to the venue (${theirs.status})`] : [];
  if (!theirs) {
    // Never reached the venue: rejected before sending, or canceled while it waited.
    if (dec(ours.filledQuantity).gt(0)) return [`order ${id}: ${ours.filledQuantity} filled in Blotter, unknown to the venue`];
    return ours.status === 'REJECTED' || ours.status === 'CANCELED' ? [] : [`order ${id}: ${ours.status} in Blotter, unknown to the venue`];
  }
  const out: string[] = [];
  const executed = theirs.fills.reduce((n, f) => n.plus(f.quantity), dec(0));
  if (!executed.eq(theirs.executedQuantity))
    out.push(`order ${id}: the venue's trades add up to ${str(executed)}, its executedQty is ${theirs.executedQuantity}`);
  if (!dec(ours.filledQuantity).eq(theirs.executedQuantity))
    out.push(
      `order ${id}: filled ${ours.filledQuantity} in Blotter, executedQty ${theirs.executedQuantity} at the venue (${theirs.status})`,
    );
  const expectedStatus = FINAL_OF[theirs.status];
  if (expectedStatus !== ours.status) out.push(`order ${id}: ${ours.status} in Blotter, ${theirs.status} at the venue`);
  const venueFees = feesOf(theirs.fills);
  if (feesKey(ours.fees) !== feesKey(venueFees))
    out.push(`order ${id}: fees ${feesKey(ours.fees)} in Blotter, ${feesKey(venueFees)} at the venue`);
  return out;
}

function feesOf(fills: readonly VenueFill[]): { asset: string; amount: string }[] {
  const by = new Map<string, Dec>();
  for (const f of fills) by.set(f.feeAsset, (by.get(f.feeAsset) ?? dec(0)).plus(f.fee));
  return [...by].map(([asset, amount]) => ({ asset, amount: str(amount) }));
}

/** Fees per asset as one comparable string, zero amounts left out. */
const feesKey = (fees: readonly { asset: string; amount: string }[]) =>
  fees
    .filter((f) => !dec(f.amount).eq(0))
    .map((f) => `${f.asset}=${str(dec(f.amount))}`)
    .sort()
    .join(',') || '-';

/**
 * For a position difference: whether Blotter's position is what the same trades give when folded in
 * the order Blotter recorded them (its trades' stream versions) instead of the venue's order.
 */
async function recordingOrderNote(api: ReturnType<typeof as>, fillsBySymbol: ReadonlyMap<string, SidedFill[]>): Promise<string> {
  const trades = (await api({ method: 'GET', url: '/api/trades' })).json().trades as { tradeId: string; symbol: string; version: number }[];
  const list = (await api({ method: 'GET', url: '/api/positions' })).json().positions as (PositionState & { symbol: string })[];
  const notes: string[] = [];
  for (const [symbol, fills] of fillsBySymbol) {
    const recorded = new Map(trades.filter((x) => x.symbol === symbol).map((x) => [x.tradeId, x.version]));
    const inRecordingOrder = [...fills].sort((a, b) => (recorded.get(a.tradeId) ?? 0) - (recorded.get(b.tradeId) ?? 0));
    const asRecorded = rebuildPosition(inRecordingOrder, SYMBOLS.find((x) => x.symbol === symbol)?.base ?? '', 'USDT', false);
    const ours = list.find((p) => p.symbol === symbol);
    if (ours && dec(ours.avgEntryPrice).eq(asRecorded.avgEntryPrice) && dec(ours.realizedPnl).eq(asRecorded.realizedPnl))
      notes.push(`${symbol}: Blotter equals the venue's trades folded in the order Blotter recorded them, not the venue's`);
  }
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

/** A position from trades of one symbol, in the venue's order (time, then trade id) unless `sort` is false. */
function rebuildPosition(fills: readonly SidedFill[], baseAsset: string, quoteAsset: string, sort = true): PositionState {
  const ordered = sort ? [...fills].sort((a, b) => a.at.localeCompare(b.at) || Number(a.tradeId) - Number(b.tradeId)) : fills;
  return ordered.reduce<PositionState>(
    (pos, f) =>
      applyFill(pos, {
        side: f.side,
        price: f.price,
        quantity: f.quantity,
        fee: f.fee,
        feeAsset: f.feeAsset,
        // The venue's price of the fee asset when it was charged: 1 for the quote, the trade's price
        // for the base (no sequence here pays fees in a third asset).
        feeQuoteRate: f.feeAsset === quoteAsset ? '1' : f.feeAsset === baseAsset ? f.price : null,
        baseAsset,
        quoteAsset,
      }),
    flatPosition(),
  );
}

/** Null as soon as `check` finds no difference; otherwise the difference it still finds after 20 s. */
async function lasting(check: () => Promise<string | null>): Promise<string | null> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = await check();
    if (found === null || Date.now() > deadline) return found;
    await sleep(300);
  }
}
