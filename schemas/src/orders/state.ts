// Aggregate states, declared once so every holder of one can check it: the order aggregate's state
// (what the orders read model stores, one column per field) and the account aggregate's state (the
// consistency boundary of one user: everything an order decision needs). Deciders and projections
// derive their types from these; a snapshot read back from the snapshot bucket is checked against
// them before it is trusted.
import Type, { type Static } from 'typebox';
import {
  Asset,
  AssetAmount,
  ClientOrderId,
  Decimal,
  Id,
  MarketSymbol,
  Nullable,
  OrderStatus,
  OrderType,
  Role,
  Side,
  SignedDecimal,
  TimeInForce,
  Timestamp,
  Venue,
} from '../primitives.ts';

/** An order that exists (placed or denied): the order aggregate's state after its first event. */
export const OrderAggregate = Type.Object(
  {
    status: OrderStatus,
    orderId: Id,
    userId: Id,
    clientOrderId: Nullable(ClientOrderId),
    symbol: MarketSymbol,
    baseAsset: Asset,
    /** Empty for a denial of a symbol whose quote asset is unknown. */
    quoteAsset: Type.String({ maxLength: 12 }),
    side: Side,
    type: OrderType,
    timeInForce: Nullable(TimeInForce),
    quantity: Decimal,
    price: Nullable(Decimal),
    stopPrice: Nullable(Decimal),
    venue: Venue,
    filledQuantity: Decimal,
    /** Sum of quote quantities of all fills: avgFillPrice = cumulativeQuote / filledQuantity. */
    cumulativeQuote: Decimal,
    /** Every fee so far valued in the quote asset (at each fill's recorded rate). */
    fee: Decimal,
    /** The fees as charged, one entry per commission asset, sorted by asset. */
    fees: Type.Array(AssetAmount),
    reservedAsset: Type.String({ maxLength: 12 }),
    reservedInitial: Decimal,
    /** What is still locked; reaches 0 when the order closes. */
    reservedRemaining: SignedDecimal,
    venueOrderId: Nullable(Type.String({ maxLength: 64 })),
    reason: Nullable(Type.String()),
    /** Venue trade ids already booked: a fill reported twice is booked once. */
    tradeIds: Type.Array(Type.String({ maxLength: 64 })),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    /** Stream sequence of the last event applied. */
    version: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type OrderAggregate = Static<typeof OrderAggregate>;

export const AccountBalance = Type.Object({ free: SignedDecimal, locked: SignedDecimal }, { additionalProperties: false });
export type AccountBalance = Static<typeof AccountBalance>;

/**
 * One user's account as its deciders see it, folded from every event on the user's subjects. Open
 * orders are kept whole (a decision about them needs every field); a closed order only as its final
 * status, which is all a later command about it needs to be answered (a repeat is read back from
 * the order's own subject).
 */
export const AccountAggregate = Type.Object(
  {
    /** Null until the account is opened (AccountOpened). */
    userId: Nullable(Id),
    email: Nullable(Type.String({ maxLength: 254 })),
    venue: Venue,
    roles: Type.Array(Role),
    balances: Type.Record(Asset, AccountBalance),
    /**
     * Assets of which the venue last reported less than Blotter had locked (the amount short). A
     * release of such an asset gives back more than the venue holds, so the venue's figure is
     * fetched again once an order closes.
     */
    shortfalls: Type.Record(Asset, Decimal),
    openOrders: Type.Record(Id, OrderAggregate),
    /**
     * Final status of every closed order, in chunks of at most CLOSED_ORDERS_CHUNK, the newest
     * last: closing an order copies only the newest chunk and the list, never all of them (a
     * trader's thousands of closed orders made each close copy the whole record).
     */
    closedOrders: Type.Array(Type.Record(Id, OrderStatus)),
    /**
     * Times (epoch ms, from the events) of the most recent order attempts, oldest first: the
     * per-user order rate is decided from these, so it holds however many gateways serve the user.
     */
    recentOrders: Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type AccountAggregate = Static<typeof AccountAggregate>;

/**
 * A saved aggregate state (an account, the kill switch): the state after every event up to stream
 * sequence `seq` of its subjects, plus the hash of the last commit of recently written subjects
 * (each subject is its own hash chain). `format` changes whenever the state's meaning changes; a
 * snapshot of another format is ignored and the state rebuilt from the stream. The state itself is
 * checked by its owner against its own schema (AccountAggregate for an account).
 */
export const StateSnapshot = Type.Object(
  {
    format: Type.Integer({ minimum: 1 }),
    seq: Type.Integer({ minimum: 0 }),
    state: Type.Unknown(),
    heads: Type.Record(Type.String({ maxLength: 300 }), Type.String({ pattern: '^[0-9a-f]{64}$' })),
  },
  { additionalProperties: false },
);
export type StateSnapshot = Static<typeof StateSnapshot>;
