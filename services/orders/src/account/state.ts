// The account aggregate: one user's consistency boundary, folded from every event on the user's
// subjects (the account, each order, the audit trail). Its state is everything an order decision
// needs — free and locked per asset, the open orders, the venue, the recent order times — so a
// decision never reads a read model. Money moves by `balanceEffects` and orders change by
// `evolveOrder`: the same two functions the read models apply, so the aggregate and the
// projections cannot disagree.
import { AccountAggregate, type AccountBalance, type DomainEvent, isOrderEvent, type OrderStatus } from '@blotter/schemas';
import { Compile } from 'typebox/compile';
import { balanceEffects } from '../ledger.ts';
import { dec, str } from '../money.ts';
import { type ExistingOrder, evolveOrder, initialOrderState, isOpen } from '../order/state.ts';

export type AccountState = AccountAggregate;

/** The window of the per-user order rate, ms: the rate is "orders per second". */
export const ORDER_RATE_WINDOW_MS = 1000;
/** Order times kept, at most (the rate limit can never be set above it). */
const RECENT_ORDERS_KEPT = 1000;
/** Closed orders per chunk of `closedOrders`: closing an order copies at most this many. */
export const CLOSED_ORDERS_CHUNK = 256;

export const initialAccountState = (): AccountState => ({
  userId: null,
  email: null,
  venue: 'paper',
  roles: [],
  balances: {},
  shortfalls: {},
  openOrders: {},
  closedOrders: [],
  recentOrders: [],
});

/** Where and when an event was recorded (evolve takes time from here, never from a clock). */
export interface EventPosition {
  seq: number;
  occurredAt: string;
}

/** Folds one event of the user's scope into the account. Pure; returns a new state when it changes. */
export function evolveAccount(state: AccountState, event: DomainEvent, at: EventPosition): AccountState {
  let next = state;
  const effects = balanceEffects(event);
  if (effects.length > 0) next = { ...next, balances: applyEffects(next.balances, effects) };
  switch (event.type) {
    case 'AccountOpened':
      return { ...next, userId: event.data.userId, email: event.data.email, venue: event.data.venue, roles: ['trader'] };
    case 'VenueKeysStored':
      return { ...next, venue: event.data.venue };
    case 'VenueKeysRemoved':
      // Removing another venue's keys sends the user back to paper trading (the gateway's rule).
      return { ...next, venue: 'paper' };
    case 'RoleGranted':
      return { ...next, roles: [event.data.role] };
    case 'VenueBalanceChanged': {
      const { asset, shortfall } = event.data;
      const { [asset]: _was, ...others } = next.shortfalls;
      return { ...next, shortfalls: dec(shortfall).gt(0) ? { ...others, [asset]: shortfall } : others };
    }
  }
  if (!isOrderEvent(event)) return next;
  const orderId = event.data.orderId;
  if (event.type === 'OrderPlaced' || event.type === 'OrderDenied')
    next = { ...next, recentOrders: remember(next.recentOrders, at.occurredAt) };
  const open = next.openOrders[orderId];
  if (!open && event.type !== 'OrderPlaced' && event.type !== 'OrderDenied') {
    // An event about an order that already closed (a late fill found by reconciliation): it may
    // move money (done above) but reopens nothing.
    return next;
  }
  const order = evolveOrder(open ?? initialOrderState(), event, at);
  if (order.status === 'NONE') return next;
  if (isOpen(order)) return { ...next, openOrders: { ...next.openOrders, [orderId]: order } };
  const { [orderId]: _closed, ...stillOpen } = next.openOrders;
  return { ...next, openOrders: stillOpen, closedOrders: withClosed(next.closedOrders, orderId, order.status) };
}

/** The chunks with one more closed order: a copy of the newest chunk (or a new one) and of the list. */
function withClosed(chunks: AccountState['closedOrders'], orderId: string, status: OrderStatus): AccountState['closedOrders'] {
  const newest = chunks.at(-1);
  if (!newest || Object.keys(newest).length >= CLOSED_ORDERS_CHUNK) return [...chunks, { [orderId]: status }];
  return [...chunks.slice(0, -1), { ...newest, [orderId]: status }];
}

/** The final status of a closed order of this account, or undefined (open, or never had). */
export function closedStatus(account: AccountState, orderId: string): OrderStatus | undefined {
  for (let i = account.closedOrders.length - 1; i >= 0; i--) {
    const status = account.closedOrders[i]?.[orderId];
    if (status !== undefined) return status;
  }
  return undefined;
}

function applyEffects(
  balances: Record<string, AccountBalance>,
  effects: ReturnType<typeof balanceEffects>,
): Record<string, AccountBalance> {
  const out = { ...balances };
  for (const e of effects) {
    const cur = out[e.asset] ?? { free: '0', locked: '0' };
    out[e.asset] = { free: str(dec(cur.free).plus(e.free)), locked: str(dec(cur.locked).plus(e.locked)) };
  }
  return out;
}

/** Keeps the order times of the last rate window, plus the new one (bounded). */
function remember(times: readonly number[], occurredAt: string): number[] {
  const t = Date.parse(occurredAt);
  const kept = times.filter((x) => x > t - ORDER_RATE_WINDOW_MS);
  kept.push(t);
  return kept.length > RECENT_ORDERS_KEPT ? kept.slice(-RECENT_ORDERS_KEPT) : kept;
}

/** What is free of an asset now. */
export const freeOf = (account: AccountState, asset: string): string => account.balances[asset]?.free ?? '0';

/** Free balance per asset, as the pre-trade checks read it. */
export const freeBalances = (account: AccountState): Record<string, string> =>
  Object.fromEntries(Object.entries(account.balances).map(([asset, b]) => [asset, b.free]));

/** The status of any order this account ever had, or null for an order it never had. */
export function statusOf(account: AccountState, orderId: string): OrderStatus | null {
  return account.openOrders[orderId]?.status ?? closedStatus(account, orderId) ?? null;
}

/** Open orders, optionally of one symbol only. */
export function openOrders(account: AccountState, symbol?: string): ExistingOrder[] {
  const all = Object.values(account.openOrders);
  return symbol ? all.filter((o) => o.symbol === symbol) : all;
}

/**
 * The time a decision on this account is made and recorded at: now, or the newest order time the
 * account holds if that is later (another process's clock ran ahead). Order times are therefore
 * monotone in the account's stream, which is what makes the rate window exact across gateways: each
 * decision sees every order recorded before it, and none recorded "after" it.
 */
export function decisionTime(account: AccountState, nowMs: number): string {
  const newest = account.recentOrders.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  return new Date(Math.max(nowMs, newest)).toISOString();
}

/** Orders placed or denied in the rate window that ends at `at` (epoch ms). */
export const ordersInWindow = (account: AccountState, at: number): number[] =>
  account.recentOrders.filter((t) => t > at - ORDER_RATE_WINDOW_MS && t <= at);

const checkAccount = Compile(AccountAggregate);

/**
 * The account aggregate for a ScopeRepository: its initial state, evolve, and how it is saved.
 * Raise `format` whenever the meaning of the state changes: older snapshots are then ignored.
 */
export const accountAggregate = {
  initialState: initialAccountState,
  evolve: (state: AccountState, event: DomainEvent & EventPosition): AccountState => evolveAccount(state, event, event),
  snapshot: {
    key: (userId: string) => `account.${userId}`,
    // 2 added shortfalls, 3 chunked the closed orders; an older snapshot is ignored and the
    // account read from the stream.
    format: 3,
    check: (value: unknown): value is AccountState => checkAccount.Check(value),
  },
};
