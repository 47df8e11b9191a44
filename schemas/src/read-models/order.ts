// The order as every reader sees it: HTTP responses, WebSocket updates, replays.
import Type, { type Static } from 'typebox';
import {
  AssetAmount,
  ClientOrderId,
  Decimal,
  Id,
  MarketSymbol,
  Nullable,
  OrderStatus,
  OrderType,
  Side,
  TimeInForce,
  Timestamp,
  Venue,
} from '../primitives.ts';

export const Order = Type.Object(
  {
    orderId: Id,
    userId: Id,
    clientOrderId: Nullable(ClientOrderId),
    symbol: MarketSymbol,
    side: Side,
    type: OrderType,
    timeInForce: Nullable(TimeInForce),
    quantity: Decimal,
    price: Nullable(Decimal),
    stopPrice: Nullable(Decimal),
    status: OrderStatus,
    filledQuantity: Decimal,
    /** Volume-weighted average of all fills; null before the first fill. */
    avgFillPrice: Nullable(Decimal),
    /** Every fee charged, valued in the quote asset (a third asset such as BNB at the venue's price at the fill). */
    fee: Decimal,
    /** The asset `fee` is given in: the quote asset; null before the first fee. */
    feeAsset: Nullable(Type.String()),
    /** The fees as charged, one entry per commission asset, by asset name. */
    fees: Type.Array(AssetAmount),
    venue: Venue,
    venueOrderId: Nullable(Type.String()),
    /** Why the order is DENIED, REJECTED, EXPIRED or CANCELED. */
    reason: Nullable(Type.String()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    /** Stream sequence of the last event applied to this order. */
    version: Type.Integer(),
  },
  {
    additionalProperties: false,
    examples: [
      {
        orderId: '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a',
        userId: '0192f4a7-0000-7000-8000-000000000001',
        clientOrderId: 'my-bot-000123',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.01',
        price: '64000',
        stopPrice: null,
        status: 'PARTIALLY_FILLED',
        filledQuantity: '0.004',
        avgFillPrice: '63990',
        fee: '0.25596',
        feeAsset: 'USDT',
        fees: [{ asset: 'BTC', amount: '0.000004' }],
        venue: 'paper',
        venueOrderId: '28457',
        reason: null,
        createdAt: '2026-11-24T12:00:00.000Z',
        updatedAt: '2026-11-24T12:00:01.000Z',
        version: 42,
      },
    ],
  },
);
export type Order = Static<typeof Order>;

/** Open and acknowledged by the venue: the order rests there, and the executor follows it. */
export const RESTING_STATUSES = ['NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL'] as const;
/** Not closed yet: counts against the open-order limit and reserves funds (includes not yet acknowledged). */
export const OPEN_STATUSES = ['PENDING_NEW', ...RESTING_STATUSES] as const;
/** Final: nothing more will happen to the order. */
export const CLOSED_STATUSES = ['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'DENIED'] as const;
