// The account decider: one function per command, each deciding on the user's account state (and,
// for a command about one order, that order's state). Pure: time, ids and market facts arrive on
// the command. A function returns the events to append (maybe none: a repeat) or throws a named
// domain error (nothing is written).
import type {
  AccountEvent,
  AuditEvent,
  CancelOrder,
  GrantRole,
  OpenAccount,
  OrderEvent,
  PlaceOrder,
  RecordAuditAccess,
  RecordVenueReport,
  RemoveVenueKeys,
  StoreVenueKeys,
} from '@blotter/schemas';
import {
  AccountExistsError,
  AccountNotOpenError,
  OpenOrdersError,
  OrderClosedError,
  OrderNotFoundError,
  RateLimitedError,
} from '../errors.ts';
import { dec, str, sum } from '../money.ts';
import { cancelOrder, placeOrder, recordVenueReport } from '../order/decide.ts';
import type { AccountFacts } from '../order/pre-trade.ts';
import type { OrderState } from '../order/state.ts';
import { isAlgoOrder } from './filters.ts';
import { type AccountState, closedStatus, freeBalances, ORDER_RATE_WINDOW_MS, openOrders, ordersInWindow } from './state.ts';

/**
 * Whether a command about `orderId` needs the order's full history read from its own subject: the
 * account keeps closed orders only as their final status. Open orders are in the account whole.
 */
export const needsOrderHistory = (account: AccountState, orderId: string): boolean =>
  account.openOrders[orderId] === undefined && closedStatus(account, orderId) !== undefined;

/** The order as the account knows it; `history` is the order read from its subject when needed. */
export function orderOf(account: AccountState, orderId: string, history: OrderState | null = null): OrderState {
  return account.openOrders[orderId] ?? history ?? { status: 'NONE' };
}

function opened(account: AccountState): asserts account is AccountState & { userId: string } {
  if (account.userId === null) throw new AccountNotOpenError();
}

/**
 * PlaceOrder: the order's own rules (a repeat, its terms), then the per-user rate, then the
 * pre-trade checks on the account's free balance and open orders. A denial is recorded; a rate
 * refusal is not (it would only feed the flood).
 */
export function placeOrderOnAccount(cmd: PlaceOrder, account: AccountState, order: OrderState): OrderEvent[] {
  opened(account);
  if (order.status === 'NONE') {
    const at = Date.parse(cmd.at);
    const recent = ordersInWindow(account, at);
    if (recent.length >= cmd.context.limits.ordersPerSecond) {
      const oldest = recent[0] ?? at;
      throw new RateLimitedError(cmd.context.limits.ordersPerSecond, Math.max(1, oldest + ORDER_RATE_WINDOW_MS - at));
    }
  }
  return placeOrder(cmd, order, factsFor(cmd, account));
}

/** What the pre-trade checks read from the account for this order. */
function factsFor(cmd: PlaceOrder, account: AccountState): AccountFacts {
  const open = openOrders(account);
  const onSymbol = open.filter((o) => o.symbol === cmd.symbol);
  const base = cmd.context.symbolInfo?.baseAsset;
  const holding = base ? account.balances[base] : undefined;
  return {
    venue: account.venue,
    available: freeBalances(account),
    openOrders: {
      onSymbol: onSymbol.length,
      algoOnSymbol: onSymbol.filter((o) => isAlgoOrder(o.type)).length,
      onVenue: open.length,
      algoOnVenue: open.filter((o) => isAlgoOrder(o.type)).length,
    },
    held: {
      base: holding ? str(dec(holding.free).plus(holding.locked)) : '0',
      openBuyQuantity: str(sum(onSymbol.filter((o) => o.side === 'BUY').map((o) => dec(o.quantity).minus(o.filledQuantity)))),
    },
  };
}

/** CancelOrder: only an open order of this account can be canceled; a closed one is a conflict. */
export function cancelOrderOnAccount(cmd: CancelOrder, account: AccountState): OrderEvent[] {
  const open = account.openOrders[cmd.orderId];
  if (open) return cancelOrder(cmd, open);
  const closed = closedStatus(account, cmd.orderId);
  if (closed) throw new OrderClosedError(cmd.orderId, closed);
  throw new OrderNotFoundError(cmd.orderId);
}

/**
 * What the venue said about an order, decided on the account's copy of it: the account tests'
 * given/when/then. The executor decides reports on the order's own subject (orderScope).
 */
export const recordVenueReportOnAccount = (cmd: RecordVenueReport, account: AccountState, history: OrderState | null): OrderEvent[] =>
  recordVenueReport(cmd, orderOf(account, cmd.orderId, history));

export function openAccount(cmd: OpenAccount, account: AccountState): AccountEvent[] {
  if (account.userId !== null) throw new AccountExistsError(cmd.userId);
  return [
    {
      type: 'AccountOpened',
      data: { userId: cmd.userId, email: cmd.email.trim().toLowerCase(), venue: cmd.venue, deposits: cmd.deposits },
    },
  ];
}

/** Orders rest at the venue they were sent to: the venue changes only when none is open. */
function noOpenOrdersLeaving(account: AccountState, to: AccountState['venue']): void {
  const open = Object.keys(account.openOrders).length;
  if (to !== account.venue && open > 0) throw new OpenOrdersError(account.venue, to, open);
}

export function storeVenueKeys(cmd: StoreVenueKeys, account: AccountState): AccountEvent[] {
  opened(account);
  noOpenOrdersLeaving(account, cmd.venue);
  return [{ type: 'VenueKeysStored', data: { userId: cmd.userId, venue: cmd.venue, keyFingerprint: cmd.keyFingerprint } }];
}

/** Paper keys are Blotter's own simulator account and stay: removing them changes nothing. */
export function removeVenueKeys(cmd: RemoveVenueKeys, account: AccountState): AccountEvent[] {
  opened(account);
  if (account.venue === 'paper') return [];
  noOpenOrdersLeaving(account, 'paper');
  return [{ type: 'VenueKeysRemoved', data: { userId: cmd.userId, venue: account.venue } }];
}

export function grantRole(cmd: GrantRole, account: AccountState): AccountEvent[] {
  opened(account);
  if (account.roles.length === 1 && account.roles[0] === cmd.role) return [];
  return [{ type: 'RoleGranted', data: { userId: cmd.userId, role: cmd.role, grantedBy: cmd.grantedBy } }];
}

/** Every auditor read is recorded, whatever the auditor's account holds. */
export const recordAuditAccess = (cmd: RecordAuditAccess): AuditEvent[] => [
  { type: 'AuditAccessed', data: { auditorId: cmd.userId, resource: cmd.resource, query: cmd.query, subjectUserId: cmd.subjectUserId } },
];
