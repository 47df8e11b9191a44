// Applies the live socket's snapshots and updates, channel by channel. Pure: the connection feeds
// it messages and gets back the new state plus what to do about it (re-subscribe after a gap,
// toasts for order transitions).
//
// Versions: a snapshot sets the channel's version. An update applies only when its prevVersion is
// the version held; one at or below the held version is already included (a duplicate, or one that
// raced the snapshot) and is dropped; anything else means messages were missed: the channel is
// marked unsynced, its updates are ignored, and the caller re-subscribes to get a fresh snapshot.
import { Value } from 'typebox/value';
import {
  type AlertRow,
  type BalanceRow,
  type CandleRow,
  type ChannelData,
  type ChannelKind,
  type OrderRow,
  type PositionRow,
  parseChannel,
  SNAPSHOT_SCHEMA,
  type TickerRow,
  type TradeRow,
  UPDATE_SCHEMA,
} from './channels.ts';

interface Held<K extends ChannelKind> {
  kind: K;
  /** False until the first snapshot, and again from a gap until the next one. */
  synced: boolean;
  version: number;
  data: ChannelData[K];
}
export type ChannelState = { [K in ChannelKind]: Held<K> }[ChannelKind];

export interface LiveState {
  readonly channels: Readonly<Record<string, ChannelState>>;
}

export interface OrderChange {
  prev: OrderRow | undefined;
  next: OrderRow;
}

export interface AlertChange {
  prev: AlertRow | undefined;
  next: AlertRow;
}

export interface Reduced {
  state: LiveState;
  /** Channels to subscribe again (a gap was seen). */
  resubscribe: string[];
  /** Orders rows an update changed, for toasts. Snapshots produce none. */
  orderChanges: OrderChange[];
  /** Alert rows an update changed (a trigger's toast). Snapshots produce none. */
  alertChanges: AlertChange[];
  /** Set when the message did not match the contract and was dropped. */
  rejected?: string;
}

export const MAX_ROWS = 500;
export const MAX_CANDLES = 1000;

export function emptyState(): LiveState {
  return { channels: {} };
}

function emptyHeld(kind: ChannelKind): ChannelState {
  switch (kind) {
    case 'ticker':
      return { kind, synced: false, version: -1, data: null };
    case 'orders':
    case 'trades':
    case 'positions':
    case 'balances':
    case 'alerts':
    case 'candles':
      return { kind, synced: false, version: -1, data: [] };
    default: {
      const never: never = kind;
      throw new Error(`unknown channel kind ${String(never)}`);
    }
  }
}

function withChannel(state: LiveState, channel: string, held: ChannelState): LiveState {
  return { channels: { ...state.channels, [channel]: held } };
}

/**
 * Marks channels as wanted and awaiting a snapshot (on subscribe, on every reconnect). Data already
 * held stays on screen until the snapshot replaces it.
 */
export function awaitSnapshot(state: LiveState, channels: readonly string[]): LiveState {
  let next = state;
  for (const channel of channels) {
    const ref = parseChannel(channel);
    if (!ref) continue;
    const held = next.channels[channel];
    next = withChannel(next, channel, held ? { ...held, synced: false } : emptyHeld(ref.kind));
  }
  return next;
}

export function dropChannels(state: LiveState, channels: readonly string[]): LiveState {
  const rest = { ...state.channels };
  for (const channel of channels) delete rest[channel];
  return { channels: rest };
}

const byNewest =
  <T>(time: (row: T) => string, key: (row: T) => string) =>
  (a: T, b: T) =>
    time(b).localeCompare(time(a)) || key(b).localeCompare(key(a));

/**
 * Merges changed rows by key. A row that carries a version older than the one held is stale (the
 * local copy of a just-placed order may be ahead of a queued update) and is skipped.
 */
const rowVersion = (row: object): number | undefined => ('version' in row && typeof row.version === 'number' ? row.version : undefined);

function mergeRows<T extends object>(
  rows: readonly T[],
  changes: readonly T[],
  key: (row: T) => string,
  combine: (prev: T | undefined, next: T) => T = (_prev, next) => next,
): { rows: T[]; applied: { prev: T | undefined; next: T }[] } {
  const map = new Map(rows.map((r) => [key(r), r]));
  const applied: { prev: T | undefined; next: T }[] = [];
  for (const change of changes) {
    const prev = map.get(key(change));
    const held = prev === undefined ? undefined : rowVersion(prev);
    const incoming = rowVersion(change);
    if (held !== undefined && incoming !== undefined && incoming < held) continue;
    const next = combine(prev, change);
    map.set(key(change), next);
    applied.push({ prev, next });
  }
  return { rows: [...map.values()], applied };
}

const orderKey = (o: OrderRow) => o.orderId;
const tradeKey = (t: TradeRow) => t.tradeId;
const sortOrders = (rows: OrderRow[]) => rows.sort(byNewest((o) => o.createdAt, orderKey)).slice(0, MAX_ROWS);
const sortTrades = (rows: TradeRow[]) => rows.sort(byNewest((t) => t.at, tradeKey)).slice(0, MAX_ROWS);
const sortPositions = (rows: PositionRow[]) => rows.sort((a, b) => a.symbol.localeCompare(b.symbol));
const sortBalances = (rows: BalanceRow[]) => rows.sort((a, b) => a.asset.localeCompare(b.asset));
const alertKey = (a: AlertRow) => a.alertId;
const sortAlerts = (rows: AlertRow[]) => rows.sort(byNewest((a) => a.createdAt, alertKey)).slice(0, MAX_ROWS);
const sortCandles = (rows: CandleRow[]) => rows.sort((a, b) => a.openTime.localeCompare(b.openTime)).slice(-MAX_CANDLES);

/** The current candle replaces the bar with its openTime, or opens a new one after the last. */
export function mergeCandle(bars: readonly CandleRow[], candle: CandleRow): CandleRow[] {
  const last = bars.at(-1);
  if (!last || candle.openTime > last.openTime) return [...bars, candle].slice(-MAX_CANDLES);
  const i = bars.findIndex((b) => b.openTime === candle.openTime);
  if (i === -1) return [...bars];
  const next = [...bars];
  next[i] = candle;
  return next;
}

const noop = (state: LiveState, rejected?: string): Reduced => ({
  state,
  resubscribe: [],
  orderChanges: [],
  alertChanges: [],
  ...(rejected ? { rejected } : {}),
});

const bad = (state: LiveState, channel: string, what: string): Reduced => noop(state, `${what} for ${channel} does not match the contract`);

function applySnapshot(state: LiveState, channel: string, held: ChannelState, version: number, data: unknown): Reduced {
  const kind = held.kind;
  const set = (next: ChannelState) => noop(withChannel(state, channel, next));
  switch (kind) {
    case 'orders':
      if (!Value.Check(SNAPSHOT_SCHEMA.orders, data)) return bad(state, channel, 'snapshot');
      return set({ kind, synced: true, version, data: sortOrders([...data]) });
    case 'trades':
      if (!Value.Check(SNAPSHOT_SCHEMA.trades, data)) return bad(state, channel, 'snapshot');
      return set({ kind, synced: true, version, data: sortTrades([...data]) });
    case 'positions':
      if (!Value.Check(SNAPSHOT_SCHEMA.positions, data)) return bad(state, channel, 'snapshot');
      return set({ kind, synced: true, version, data: sortPositions([...data]) });
    case 'balances':
      if (!Value.Check(SNAPSHOT_SCHEMA.balances, data)) return bad(state, channel, 'snapshot');
      return set({ kind, synced: true, version, data: sortBalances([...data]) });
    case 'alerts':
      if (!Value.Check(SNAPSHOT_SCHEMA.alerts, data)) return bad(state, channel, 'snapshot');
      return set({ kind, synced: true, version, data: sortAlerts([...data]) });
    case 'ticker':
      if (!Value.Check(SNAPSHOT_SCHEMA.ticker, data)) return bad(state, channel, 'snapshot');
      return set({ kind, synced: true, version, data });
    case 'candles':
      if (!Value.Check(SNAPSHOT_SCHEMA.candles, data)) return bad(state, channel, 'snapshot');
      return set({ kind, synced: true, version, data: sortCandles([...data]) });
    default: {
      const never: never = kind;
      throw new Error(`unknown channel kind ${String(never)}`);
    }
  }
}

function applyUpdate(state: LiveState, channel: string, held: ChannelState, version: number, prevVersion: number, data: unknown): Reduced {
  if (!held.synced) return noop(state);
  if (version <= held.version) return noop(state);
  // A ticker update is the whole state of its channel: a missed one changes nothing that the next
  // does not overwrite, so it never costs a re-subscribe.
  if (prevVersion !== held.version && held.kind !== 'ticker') {
    return { state: withChannel(state, channel, { ...held, synced: false }), resubscribe: [channel], orderChanges: [], alertChanges: [] };
  }
  const set = (next: ChannelState) => noop(withChannel(state, channel, next));
  switch (held.kind) {
    case 'orders': {
      if (!Value.Check(UPDATE_SCHEMA.orders, data)) return bad(state, channel, 'update');
      const { rows, applied } = mergeRows(held.data, data, orderKey);
      return { ...set({ ...held, version, data: sortOrders(rows) }), orderChanges: applied };
    }
    case 'trades': {
      if (!Value.Check(UPDATE_SCHEMA.trades, data)) return bad(state, channel, 'update');
      return set({ ...held, version, data: sortTrades(mergeRows(held.data, data, tradeKey).rows) });
    }
    case 'positions': {
      if (!Value.Check(UPDATE_SCHEMA.positions, data)) return bad(state, channel, 'update');
      // Updates leave out markPrice/unrealizedPnl: keep the snapshot's until the ticker supersedes them.
      const { rows } = mergeRows(
        held.data,
        data,
        (p) => p.symbol,
        (prev, next) => ({ ...prev, ...next }),
      );
      return set({ ...held, version, data: sortPositions(rows) });
    }
    case 'balances': {
      if (!Value.Check(UPDATE_SCHEMA.balances, data)) return bad(state, channel, 'update');
      return set({ ...held, version, data: sortBalances(mergeRows(held.data, data, (b) => b.asset).rows) });
    }
    case 'alerts': {
      if (!Value.Check(UPDATE_SCHEMA.alerts, data)) return bad(state, channel, 'update');
      const { rows, applied } = mergeRows(held.data, data, alertKey);
      return { ...set({ ...held, version, data: sortAlerts(rows) }), alertChanges: applied };
    }
    case 'ticker':
      if (!Value.Check(UPDATE_SCHEMA.ticker, data)) return bad(state, channel, 'update');
      return set({ ...held, version, data });
    case 'candles':
      if (!Value.Check(UPDATE_SCHEMA.candles, data)) return bad(state, channel, 'update');
      return set({ ...held, version, data: mergeCandle(held.data, data) });
    default: {
      const never: never = held;
      throw new Error(`unknown channel ${String(never)}`);
    }
  }
}

export type ChannelMessage =
  | { type: 'snapshot'; channel: string; version: number; data: unknown }
  | { type: 'update'; channel: string; version: number; prevVersion: number; data: unknown };

/** Applies one snapshot or update. Messages for channels not awaited or held are ignored. */
export function reduce(state: LiveState, msg: ChannelMessage): Reduced {
  const held = state.channels[msg.channel];
  if (!held) return noop(state);
  if (msg.type === 'snapshot') return applySnapshot(state, msg.channel, held, msg.version, msg.data);
  return applyUpdate(state, msg.channel, held, msg.version, msg.prevVersion, msg.data);
}

/**
 * Puts orders the REST API just returned (a placed or canceled order) into the orders channel, so
 * the blotter shows them before the socket's update; the row version keeps the newer copy either way.
 */
export function upsertOrders(state: LiveState, orders: readonly OrderRow[]): LiveState {
  const held = state.channels.orders;
  if (held?.kind !== 'orders') return state;
  const { rows } = mergeRows(held.data, orders, orderKey);
  return withChannel(state, 'orders', { ...held, data: sortOrders(rows) });
}

export const ordersOf = (state: LiveState): OrderRow[] => {
  const held = state.channels.orders;
  return held?.kind === 'orders' ? held.data : [];
};
export const tradesOf = (state: LiveState): TradeRow[] => {
  const held = state.channels.trades;
  return held?.kind === 'trades' ? held.data : [];
};
export const positionsOf = (state: LiveState): PositionRow[] => {
  const held = state.channels.positions;
  return held?.kind === 'positions' ? held.data : [];
};
export const balancesOf = (state: LiveState): BalanceRow[] => {
  const held = state.channels.balances;
  return held?.kind === 'balances' ? held.data : [];
};
export const alertsOf = (state: LiveState): AlertRow[] => {
  const held = state.channels.alerts;
  return held?.kind === 'alerts' ? held.data : [];
};
export const tickerOf = (state: LiveState, symbol: string): TickerRow | null => {
  const held = state.channels[`ticker:${symbol}`];
  return held?.kind === 'ticker' ? held.data : null;
};
export const candlesOf = (state: LiveState, channel: string): CandleRow[] | undefined => {
  const held = state.channels[channel];
  return held?.kind === 'candles' && held.synced ? held.data : undefined;
};

export function isSynced(state: LiveState, channel: string): boolean {
  return state.channels[channel]?.synced ?? false;
}
