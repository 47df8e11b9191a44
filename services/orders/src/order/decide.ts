// The order decider: one function per command, pure. It returns the events a command causes (maybe
// none, for a repeat) or throws a named domain error; it never reads a clock or makes an id.
import type { CancelOrder, OrderCommand, OrderEvent, PlaceOrder, RecordCancelRejection, RecordVenueReport } from '@blotter/schemas';
import {
  IdempotencyKeyReusedError,
  InvalidOrderError,
  InvalidVenueReportError,
  OrderClosedError,
  OrderNotFoundError,
  UnrecordedFillsError,
} from '../errors.ts';
import { feeQuoteRateOf } from '../fees.ts';
import { dec, minOf, str } from '../money.ts';
import { type AccountFacts, preTradeCheck } from './pre-trade.ts';
import { type ExistingOrder, evolveOrder, isOpen, type OrderState } from './state.ts';

/** Shape rules the schema cannot express: which fields each order type needs. */
function validateTerms(cmd: PlaceOrder): void {
  const needsPrice = cmd.type !== 'MARKET';
  const needsStop = cmd.type === 'STOP_LOSS_LIMIT' || cmd.type === 'TAKE_PROFIT_LIMIT';
  if (dec(cmd.quantity).lte(0)) throw new InvalidOrderError('quantity must be greater than 0', 'quantity');
  if (needsPrice && cmd.price === null) throw new InvalidOrderError(`${cmd.type} orders need a price`, 'price');
  if (!needsPrice && cmd.price !== null) throw new InvalidOrderError('MARKET orders take no price', 'price');
  if (cmd.price !== null && dec(cmd.price).lte(0)) throw new InvalidOrderError('price must be greater than 0', 'price');
  if (needsStop && cmd.stopPrice === null) throw new InvalidOrderError(`${cmd.type} orders need a stopPrice`, 'stopPrice');
  if (!needsStop && cmd.stopPrice !== null) throw new InvalidOrderError(`${cmd.type} orders take no stopPrice`, 'stopPrice');
  if (cmd.stopPrice !== null && dec(cmd.stopPrice).lte(0)) throw new InvalidOrderError('stopPrice must be greater than 0', 'stopPrice');
  if (cmd.type === 'MARKET' && cmd.timeInForce !== null) throw new InvalidOrderError('MARKET orders take no timeInForce', 'timeInForce');
}

const sameDecimal = (a: string | null, b: string | null) => (a === null || b === null ? a === b : dec(a).eq(b));

/** A repeated PlaceOrder (same clientOrderId) is the same order only if its terms are the same. */
function sameTerms(o: ExistingOrder, cmd: PlaceOrder, timeInForce: string | null): boolean {
  return (
    o.symbol === cmd.symbol &&
    o.side === cmd.side &&
    o.type === cmd.type &&
    o.timeInForce === timeInForce &&
    sameDecimal(o.quantity, cmd.quantity) &&
    sameDecimal(o.price, cmd.price) &&
    sameDecimal(o.stopPrice, cmd.stopPrice)
  );
}

/** PlaceOrder on the order itself; the account aggregate supplies its facts (account/decide.ts). */
export function placeOrder(cmd: PlaceOrder, state: OrderState, account: AccountFacts): OrderEvent[] {
  validateTerms(cmd);
  const timeInForce = cmd.timeInForce ?? (cmd.type === 'MARKET' ? null : 'GTC');
  if (state.status !== 'NONE') {
    if (state.userId === cmd.userId && sameTerms(state, cmd, timeInForce)) return [];
    throw new IdempotencyKeyReusedError(cmd.clientOrderId ?? cmd.orderId);
  }
  const terms = {
    orderId: cmd.orderId,
    userId: cmd.userId,
    clientOrderId: cmd.clientOrderId,
    symbol: cmd.symbol,
    side: cmd.side,
    type: cmd.type,
    timeInForce,
    quantity: cmd.quantity,
    price: cmd.price,
    stopPrice: cmd.stopPrice,
    venue: account.venue,
  };
  const check = preTradeCheck(cmd, account);
  if (!check.ok) {
    return [{ type: 'OrderDenied', data: { ...terms, code: check.code, reason: check.reason, field: check.field, filter: check.filter } }];
  }
  return [
    {
      type: 'OrderPlaced',
      data: { ...terms, baseAsset: check.baseAsset, quoteAsset: check.quoteAsset, reserved: check.reserved },
    },
  ];
}

export function cancelOrder(cmd: CancelOrder, state: OrderState): OrderEvent[] {
  // Someone else's order is reported as missing, not as forbidden: its existence is not shared.
  if (state.status === 'NONE' || state.userId !== cmd.requestedBy) throw new OrderNotFoundError(cmd.orderId);
  if (!isOpen(state)) throw new OrderClosedError(cmd.orderId, state.status);
  if (state.status === 'PENDING_CANCEL') return [];
  return [{ type: 'OrderCancelRequested', data: { orderId: cmd.orderId, requestedBy: cmd.requestedBy } }];
}

function knownOrder(state: OrderState, orderId: string): ExistingOrder {
  if (state.status === 'NONE') throw new InvalidVenueReportError(`venue report for unknown order ${orderId}`);
  if (state.status === 'DENIED') throw new InvalidVenueReportError(`venue report for denied order ${orderId}`);
  return state;
}

export function recordVenueReport(cmd: RecordVenueReport, state: OrderState): OrderEvent[] {
  let order = knownOrder(state, cmd.orderId);
  const out: OrderEvent[] = [];
  const emit = (event: OrderEvent) => {
    out.push(event);
    order = evolveOrder(order, event, { seq: order.version, occurredAt: cmd.at }) as ExistingOrder;
  };
  const { orderId } = cmd;
  if (cmd.venueStatus === 'REJECTED') {
    if (!isOpen(order)) return [];
    emit({
      type: 'OrderRejected',
      data: { orderId, code: cmd.code ?? 'REJECTED', reason: cmd.reason ?? 'rejected by the venue', released: remaining(order) },
    });
    return out;
  }
  if (cmd.venueOrderId !== null && order.venueOrderId === null) {
    emit({ type: 'OrderAccepted', data: { orderId, venueOrderId: cmd.venueOrderId, acceptedAt: cmd.at } });
  }
  for (const fill of cmd.fills) {
    if (order.tradeIds.includes(fill.tradeId)) continue;
    const cumulative = dec(order.filledQuantity).plus(fill.quantity);
    if (cumulative.gt(order.quantity)) {
      throw new InvalidVenueReportError(`fill ${fill.tradeId} would overfill ${orderId}: ${str(cumulative)} > ${order.quantity}`);
    }
    const complete = cumulative.eq(order.quantity);
    // Each fill frees its share of the reservation; the last one frees whatever is left.
    const share = dec(order.reservedInitial).times(fill.quantity).div(order.quantity);
    const released = complete ? dec(order.reservedRemaining) : minOf(share, dec(order.reservedRemaining));
    emit({
      type: 'OrderFilled',
      data: {
        orderId,
        tradeId: fill.tradeId,
        symbol: order.symbol,
        side: order.side,
        baseAsset: order.baseAsset,
        quoteAsset: order.quoteAsset,
        price: fill.price,
        quantity: fill.quantity,
        quoteQuantity: fill.quoteQuantity,
        fee: fill.fee,
        feeAsset: fill.feeAsset,
        feeQuoteRate: feeQuoteRateOf(fill, order),
        cumulativeQuantity: str(cumulative),
        released: { asset: order.reservedAsset, amount: str(released) },
        filledAt: fill.at,
      },
    });
  }
  if (isOpen(order) && (cmd.venueStatus === 'CANCELED' || cmd.venueStatus === 'EXPIRED' || cmd.venueStatus === 'EXPIRED_IN_MATCH')) {
    // Closing releases the rest of the reservation: were an execution of the venue's still
    // unrecorded, its money would be freed and then lost. The reporter fetches those fills first.
    if (cmd.executedQuantity !== undefined && dec(order.filledQuantity).lt(cmd.executedQuantity)) {
      throw new UnrecordedFillsError(orderId, order.filledQuantity, cmd.executedQuantity);
    }
    const data = { orderId, reason: cmd.reason ?? closingReason(cmd.venueStatus), released: remaining(order) };
    emit(cmd.venueStatus === 'CANCELED' ? { type: 'OrderCanceled', data } : { type: 'OrderExpired', data });
  }
  return out;
}

export function recordCancelRejection(cmd: RecordCancelRejection, state: OrderState): OrderEvent[] {
  const order = knownOrder(state, cmd.orderId);
  if (order.status !== 'PENDING_CANCEL') return [];
  return [{ type: 'OrderCancelRejected', data: { orderId: cmd.orderId, code: cmd.code, reason: cmd.reason } }];
}

const remaining = (o: ExistingOrder) => ({ asset: o.reservedAsset, amount: o.reservedRemaining });

const closingReason = (status: string) =>
  status === 'CANCELED'
    ? 'canceled at the venue'
    : status === 'EXPIRED_IN_MATCH'
      ? 'expired by self-trade prevention'
      : 'expired at the venue';

/** The order-level commands that need nothing but the order's own state. */
export type OrderOnlyCommand = Exclude<OrderCommand, { type: 'PlaceOrder' }>;

export function decideOrder(command: OrderOnlyCommand, state: OrderState): OrderEvent[] {
  switch (command.type) {
    case 'CancelOrder':
      return cancelOrder(command.data, state);
    case 'RecordVenueReport':
      return recordVenueReport(command.data, state);
    case 'RecordCancelRejection':
      return recordCancelRejection(command.data, state);
    default: {
      const never: never = command;
      return never;
    }
  }
}
