// The order aggregate's state and the one function that evolves it. The orders read model stores
// exactly this state (one column per field), so the decider, the projection and every replay apply
// the same rules.
import {
  type DomainEvent,
  isOrderEvent,
  OPEN_STATUSES,
  type OrderAggregate,
  type OrderEvent,
  type OrderStatus,
  trySplitSymbol,
} from '@blotter/schemas';
import { addFee, feeInQuote } from '../fees.ts';
import { dec, str } from '../money.ts';

/** An order that exists: the order aggregate's state, declared once in @blotter/schemas. */
export type ExistingOrder = OrderAggregate;

export type OrderState = { status: 'NONE' } | ExistingOrder;

export const initialOrderState = (): OrderState => ({ status: 'NONE' });

export const OPEN: ReadonlySet<OrderStatus> = new Set(OPEN_STATUSES);
export const isOpen = (s: OrderState): boolean => s.status !== 'NONE' && OPEN.has(s.status);

/** The status an order falls back to when a cancel is refused. */
function workingStatus(o: ExistingOrder): OrderStatus {
  if (o.venueOrderId === null) return 'PENDING_NEW';
  return dec(o.filledQuantity).gt(0) ? 'PARTIALLY_FILLED' : 'NEW';
}

function statusAfterFill(o: ExistingOrder, cumulative: string): OrderStatus {
  // A fill reported after the order closed (found by reconciliation) is booked but reopens nothing.
  if (!OPEN.has(o.status)) return o.status;
  if (dec(cumulative).gte(o.quantity)) return 'FILLED';
  return o.status === 'PENDING_CANCEL' ? 'PENDING_CANCEL' : 'PARTIALLY_FILLED';
}

export function evolveOrder(state: OrderState, event: OrderEvent, meta: { seq: number; occurredAt: string }): OrderState {
  const touch = { updatedAt: meta.occurredAt, version: meta.seq };
  switch (event.type) {
    case 'OrderPlaced':
    case 'OrderDenied': {
      const d = event.data;
      const denied = event.type === 'OrderDenied';
      // A denial carries no assets (it may be for an unknown symbol); they follow from the symbol.
      const assets = event.type === 'OrderPlaced' ? event.data : (trySplitSymbol(d.symbol) ?? { baseAsset: d.symbol, quoteAsset: '' });
      const reserved = event.type === 'OrderPlaced' ? event.data.reserved : { asset: assets.quoteAsset, amount: '0' };
      return {
        status: denied ? 'DENIED' : 'PENDING_NEW',
        orderId: d.orderId,
        userId: d.userId,
        clientOrderId: d.clientOrderId,
        symbol: d.symbol,
        baseAsset: assets.baseAsset,
        quoteAsset: assets.quoteAsset,
        side: d.side,
        type: d.type,
        timeInForce: d.timeInForce,
        quantity: d.quantity,
        price: d.price,
        stopPrice: d.stopPrice,
        venue: d.venue,
        filledQuantity: '0',
        cumulativeQuote: '0',
        fee: '0',
        fees: [],
        reservedAsset: reserved.asset,
        reservedInitial: reserved.amount,
        reservedRemaining: reserved.amount,
        venueOrderId: null,
        reason: event.type === 'OrderDenied' ? event.data.reason : null,
        tradeIds: [],
        createdAt: meta.occurredAt,
        ...touch,
      };
    }
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'OrderAccepted':
      return {
        ...state,
        ...touch,
        venueOrderId: event.data.venueOrderId,
        status: state.status === 'PENDING_NEW' ? 'NEW' : state.status,
      };
    case 'OrderFilled': {
      const d = event.data;
      return {
        ...state,
        ...touch,
        status: statusAfterFill(state, d.cumulativeQuantity),
        filledQuantity: d.cumulativeQuantity,
        cumulativeQuote: str(dec(state.cumulativeQuote).plus(d.quoteQuantity)),
        // A second fill may be charged in another asset (BNB, then the asset received): each is kept.
        fee: str(dec(state.fee).plus(feeInQuote(d.fee, d.feeQuoteRate))),
        fees: addFee(state.fees, d.feeAsset, d.fee),
        reservedRemaining: str(dec(state.reservedRemaining).minus(d.released.amount)),
        venueOrderId: state.venueOrderId,
        tradeIds: [...state.tradeIds, d.tradeId],
      };
    }
    case 'OrderRejected':
    case 'OrderExpired':
    case 'OrderCanceled': {
      const status = event.type === 'OrderRejected' ? 'REJECTED' : event.type === 'OrderExpired' ? 'EXPIRED' : 'CANCELED';
      return {
        ...state,
        ...touch,
        status,
        reason: event.data.reason,
        reservedRemaining: str(dec(state.reservedRemaining).minus(event.data.released.amount)),
      };
    }
    case 'OrderCancelRequested':
      return { ...state, ...touch, status: 'PENDING_CANCEL' };
    case 'OrderCancelRejected':
      return {
        ...state,
        ...touch,
        status: state.status === 'PENDING_CANCEL' ? workingStatus(state) : state.status,
        reason: event.data.reason,
      };
    default: {
      const never: never = event;
      return never;
    }
  }
}

/**
 * The order as a scope of its own subject (a ScopeRepository keyed by the order's subject): what
 * the executor decides venue reports on. A report depends on nothing but its order, so its append
 * is checked against the order's subject alone: it never races the user's other orders, while a
 * gateway deciding on the account still sees it (the report moves the user's last sequence too).
 */
export const orderScope = {
  initialState: initialOrderState,
  evolve(state: OrderState, event: DomainEvent & { seq: number; occurredAt: string; subject: string }): OrderState {
    if (!isOrderEvent(event)) throw new Error(`unexpected ${event.type} on order subject ${event.subject}`);
    return evolveOrder(state, event, event);
  },
};

/** The order aggregate for an AggregateRepository: its initial state, evolve and event guard. */
export const orderAggregate = {
  initialState: initialOrderState,
  evolve: evolveOrder,
  isEvent: isOrderEvent,
};
