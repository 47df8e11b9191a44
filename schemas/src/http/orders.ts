import Type, { type Static } from 'typebox';
import { Order } from '../read-models/order.ts';
import { Balance } from '../read-models/balance.ts';
import { Position } from '../read-models/position.ts';
import { Trade } from '../read-models/trade.ts';
import { ClientOrderId, Decimal, Id, MarketSymbol, OrderType, Side, TimeInForce } from '../primitives.ts';

export const PlaceOrderRequest = Type.Object(
  {
    symbol: MarketSymbol,
    side: Side,
    type: OrderType,
    quantity: Decimal,
    price: Type.Optional(Decimal),
    stopPrice: Type.Optional(Decimal),
    timeInForce: Type.Optional(TimeInForce),
    clientOrderId: Type.Optional(ClientOrderId),
  },
  {
    additionalProperties: false,
    examples: [
      { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' },
      { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '0.01', price: '70000', timeInForce: 'GTC', clientOrderId: 'bot-42' },
    ],
  },
);
export type PlaceOrderRequest = Static<typeof PlaceOrderRequest>;

export const OrderResponse = Type.Object({ order: Order }, { additionalProperties: false });
export type OrderResponse = Static<typeof OrderResponse>;

export const OrderIdParams = Type.Object({ orderId: Id }, { additionalProperties: false });

export const ListOrdersQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['open', 'closed', 'all'])),
    symbol: Type.Optional(MarketSymbol),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    /** Cursor: only orders created before this order (by createdAt, then orderId). */
    before: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type ListOrdersQuery = Static<typeof ListOrdersQuery>;

export const OrderList = Type.Object({ orders: Type.Array(Order), version: Type.Integer() }, { additionalProperties: false });

/** One event of an order's history, as GET /api/orders/:orderId/events lists it. */
export const OrderEventRow = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  version: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  data: Type.Unknown(),
});
export type OrderEventRow = Static<typeof OrderEventRow>;

export const OrderEventsResponse = Type.Object({ events: Type.Array(OrderEventRow) }, { additionalProperties: false });
export type OrderEventsResponse = Static<typeof OrderEventsResponse>;

export const ListTradesQuery = Type.Object(
  {
    symbol: Type.Optional(MarketSymbol),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    /** Cursor: only trades before this one (by time, then key), given as `<orderId>:<tradeId>` (venue trade ids repeat across symbols). */
    before: Type.Optional(Type.String({ minLength: 3, maxLength: 120, pattern: '^[0-9a-f-]{36}:[^\\s]+$' })),
  },
  { additionalProperties: false },
);
export const TradeList = Type.Object({ trades: Type.Array(Trade), version: Type.Integer() }, { additionalProperties: false });
export const PositionList = Type.Object({ positions: Type.Array(Position), version: Type.Integer() }, { additionalProperties: false });
export const BalanceList = Type.Object(
  { balances: Type.Array(Type.Omit(Balance, ['userId', 'version'])), version: Type.Integer() },
  { additionalProperties: false },
);
