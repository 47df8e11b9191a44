// Order commands, in the imperative. A command carries what its decision needs from outside the
// user's account (time, ids, the symbol's filters, the mark price, the limits, the kill switch);
// everything about the account itself (balances, open orders, venue, recent orders) is the account
// aggregate's own state. The deciders stay pure.
import Type, { type Static } from 'typebox';
import { SymbolInfo } from '../market/market.ts';
import { Asset, ClientOrderId, Decimal, Id, MarketSymbol, Nullable, OrderType, Side, TimeInForce, Timestamp } from '../primitives.ts';

const ORDER = '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a';
const USER = '0192f4a7-0000-7000-8000-000000000001';
const AT = '2026-11-24T12:00:01.000Z';

const meta = {
  /** Also the commit's `Nats-Msg-Id`: a retried command is deduplicated by the stream. */
  commandId: Type.String({ minLength: 1, maxLength: 128 }),
  orderId: Id,
  at: Timestamp,
};

export const PlaceOrder = Type.Object(
  {
    ...meta,
    userId: Id,
    clientOrderId: Nullable(ClientOrderId),
    symbol: MarketSymbol,
    side: Side,
    type: OrderType,
    timeInForce: Nullable(TimeInForce),
    quantity: Decimal,
    price: Nullable(Decimal),
    stopPrice: Nullable(Decimal),
    /** Facts from outside the account, gathered by the command handler for the pre-trade checks. */
    context: Type.Object(
      {
        /** The venue's filters for the symbol; null when the venue does not list it. */
        symbolInfo: Nullable(SymbolInfo),
        /** Latest traded price, used to size the reservation of a MARKET order. */
        markPrice: Nullable(Decimal),
        limits: Type.Object({
          maxNotional: Decimal,
          maxOpenOrders: Type.Integer({ minimum: 1 }),
          /** Orders (placed or denied) a user may send per second, however many gateways serve them. */
          ordersPerSecond: Type.Integer({ minimum: 1 }),
          /** Fraction added on top of a BUY's notional for fees, e.g. "0.001". */
          feeMargin: Decimal,
          /** Fraction added to a MARKET BUY's estimated notional for slippage, e.g. "0.05". */
          marketSlippage: Decimal,
        }),
        /** The operator's kill switch. */
        halted: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        commandId: `place-${ORDER}`,
        orderId: ORDER,
        at: AT,
        userId: USER,
        clientOrderId: null,
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        timeInForce: null,
        quantity: '0.001',
        price: null,
        stopPrice: null,
        context: {
          symbolInfo: null,
          markPrice: '64000',
          limits: { maxNotional: '100000', maxOpenOrders: 200, ordersPerSecond: 20, feeMargin: '0.001', marketSlippage: '0.05' },
          halted: false,
        },
      },
    ],
  },
);
export type PlaceOrder = Static<typeof PlaceOrder>;

export const CancelOrder = Type.Object(
  { ...meta, requestedBy: Id },
  { additionalProperties: false, examples: [{ commandId: `cancel-${ORDER}`, orderId: ORDER, at: AT, requestedBy: USER }] },
);
export type CancelOrder = Static<typeof CancelOrder>;

/** One execution as the venue reports it. */
export const VenueFill = Type.Object(
  {
    tradeId: Type.String({ maxLength: 64 }),
    price: Decimal,
    quantity: Decimal,
    quoteQuantity: Decimal,
    fee: Decimal,
    feeAsset: Asset,
    /**
     * For a fee in an asset that is neither the symbol's base nor its quote (BNB): the venue's price
     * of that asset in the quote asset when the fill was recorded. Absent otherwise, or when the
     * venue has no such price.
     */
    feeQuoteRate: Type.Optional(Decimal),
    at: Timestamp,
  },
  { additionalProperties: false },
);
export type VenueFill = Static<typeof VenueFill>;

export const VenueOrderStatus = Type.Enum([
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'PENDING_CANCEL',
  'REJECTED',
  'EXPIRED',
  'EXPIRED_IN_MATCH',
]);
export type VenueOrderStatus = Static<typeof VenueOrderStatus>;
/** A venue's statuses of an order still working on its book (it may still fill or be canceled). */
export const VENUE_WORKING_STATUSES = ['NEW', 'PARTIALLY_FILLED'] as const satisfies readonly VenueOrderStatus[];

/**
 * What the venue says about an order: from a new-order response, a query, a user-data stream
 * report or reconciliation. The decider turns it into whatever events are new (acceptance, fills
 * not booked yet, a final status) and ignores what it already knows, so reporting twice is harmless.
 */
export const RecordVenueReport = Type.Object(
  {
    ...meta,
    venueOrderId: Nullable(Type.String({ maxLength: 64 })),
    venueStatus: VenueOrderStatus,
    fills: Type.Array(VenueFill, { maxItems: 1000 }),
    /**
     * The venue's executedQty for the order when it reported. An order is never closed (canceled,
     * expired) while its fills add up to less: the fills the venue made are recorded first.
     */
    executedQuantity: Type.Optional(Decimal),
    /** Venue error code for a rejection (e.g. "-2010"). */
    code: Nullable(Type.String({ maxLength: 32 })),
    /** Why the order was rejected, expired or canceled, in words. */
    reason: Nullable(Type.String({ maxLength: 500 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        commandId: `report-${ORDER}-1`,
        orderId: ORDER,
        at: AT,
        venueOrderId: '28457',
        venueStatus: 'FILLED',
        fills: [{ tradeId: '9912', price: '63990', quantity: '0.001', quoteQuantity: '63.99', fee: '0.000001', feeAsset: 'BTC', at: AT }],
        executedQuantity: '0.001',
        code: null,
        reason: null,
      },
    ],
  },
);
export type RecordVenueReport = Static<typeof RecordVenueReport>;

export const RecordCancelRejection = Type.Object(
  { ...meta, code: Type.String({ maxLength: 32 }), reason: Type.String({ maxLength: 500 }) },
  {
    additionalProperties: false,
    examples: [{ commandId: `cancel-rejected-${ORDER}`, orderId: ORDER, at: AT, code: '-2011', reason: 'Unknown order sent.' }],
  },
);
export type RecordCancelRejection = Static<typeof RecordCancelRejection>;

/** Every order command, tagged, as the decider receives it. */
export type OrderCommand =
  | { type: 'PlaceOrder'; data: PlaceOrder }
  | { type: 'CancelOrder'; data: CancelOrder }
  | { type: 'RecordVenueReport'; data: RecordVenueReport }
  | { type: 'RecordCancelRejection'; data: RecordCancelRejection };

export const orderCommands = {
  PlaceOrder,
  CancelOrder,
  RecordVenueReport,
  RecordCancelRejection,
} as const;
