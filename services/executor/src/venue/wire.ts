// The JSON Binance sends, as far as the adapter reads it. Nothing from the venue is trusted by type
// assertion: every answer is checked against these schemas, and one that does not fit is an error
// (see rest.ts), never a half-read report. Fields the adapter does not use are allowed and ignored.
import { VenueOrderStatus } from '@blotter/schemas';
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * Binance decimals: plain notation, usually 8 places ("0.01000000"). The range is Blotter's Decimal
 * (20 integer digits, 18 decimals), so whatever passes here fits the events it ends up in.
 */
const Dec = Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,18})?$' });
const Id = Type.Integer({ minimum: 0 });
const Millis = Type.Integer({ minimum: 0 });
const Text = Type.String({ minLength: 1, maxLength: 200 });

export const ServerTime = Type.Object({ serverTime: Millis });

/** A fill inside a FULL new-order response (no time or quote quantity: see mapping.ts). */
export const OrderFill = Type.Object({ price: Dec, qty: Dec, commission: Dec, commissionAsset: Text, tradeId: Id });

/** POST /api/v3/order with newOrderRespType=FULL. */
export const NewOrderFull = Type.Object({
  symbol: Text,
  orderId: Id,
  clientOrderId: Text,
  transactTime: Millis,
  executedQty: Dec,
  cummulativeQuoteQty: Dec,
  status: VenueOrderStatus,
  fills: Type.Array(OrderFill),
});

/** GET /api/v3/order and the items of GET /api/v3/openOrders. */
export const QueriedOrder = Type.Object({
  symbol: Text,
  orderId: Id,
  clientOrderId: Text,
  executedQty: Dec,
  cummulativeQuoteQty: Dec,
  status: VenueOrderStatus,
  updateTime: Millis,
});

/** DELETE /api/v3/order: `clientOrderId` is the cancel's own id, ours is `origClientOrderId`. */
export const CanceledOrder = Type.Object({
  symbol: Text,
  orderId: Id,
  origClientOrderId: Text,
  executedQty: Dec,
  cummulativeQuoteQty: Dec,
  status: VenueOrderStatus,
  // Documented since 2023; older servers omitted it (mapping.ts falls back to the local clock).
  transactTime: Type.Optional(Millis),
});

/** GET /api/v3/myTrades. */
export const MyTrade = Type.Object({
  symbol: Text,
  id: Id,
  orderId: Id,
  price: Dec,
  qty: Dec,
  quoteQty: Dec,
  commission: Dec,
  commissionAsset: Text,
  time: Millis,
});

/** GET /api/v3/ticker/price?symbol=… */
export const TickerPrice = Type.Object({ symbol: Text, price: Dec });

/** GET /api/v3/account. */
export const Account = Type.Object({ balances: Type.Array(Type.Object({ asset: Text, free: Dec, locked: Dec })) });

/** GET /api/v3/exchangeInfo: filters are read one symbol at a time (a symbol that does not fit is skipped). */
export const ExchangeInfo = Type.Object({
  symbols: Type.Array(
    Type.Object({ symbol: Text, status: Text, baseAsset: Text, quoteAsset: Text, filters: Type.Array(Type.Object({ filterType: Text })) }),
  ),
});

export const PriceFilter = Type.Object({ filterType: Type.Literal('PRICE_FILTER'), minPrice: Dec, maxPrice: Dec, tickSize: Dec });
export const LotSize = Type.Object({ filterType: Type.Literal('LOT_SIZE'), minQty: Dec, maxQty: Dec, stepSize: Dec });
/** NOTIONAL replaced MIN_NOTIONAL on Binance in 2023; either may be listed. */
export const NotionalFilter = Type.Object({
  filterType: Type.Union([Type.Literal('NOTIONAL'), Type.Literal('MIN_NOTIONAL')]),
  minNotional: Dec,
});

/**
 * A user-data `executionReport` (WebSocket API). `C` is the original client id on a cancel (empty
 * otherwise); `N` is null until there is a commission; `t` is -1 without a trade.
 */
export const ExecutionReport = Type.Object({
  e: Type.Literal('executionReport'),
  E: Millis,
  s: Text,
  c: Text,
  C: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  x: Text,
  X: VenueOrderStatus,
  i: Id,
  l: Dec,
  z: Dec,
  L: Dec,
  n: Dec,
  N: Type.Union([Text, Type.Null()]),
  T: Millis,
  t: Type.Integer({ minimum: -1 }),
  Z: Dec,
  Y: Dec,
});

/** A deposit, withdrawal or transfer: `d` is signed. */
export const BalanceUpdate = Type.Object({
  e: Type.Literal('balanceUpdate'),
  E: Millis,
  a: Type.String({ pattern: '^[A-Z0-9]{1,12}$' }),
  d: Type.String({ pattern: '^-?[0-9]{1,20}(\\.[0-9]{1,18})?$' }),
  T: Millis,
});

export type NewOrderFull = Static<typeof NewOrderFull>;
export type QueriedOrder = Static<typeof QueriedOrder>;
export type CanceledOrder = Static<typeof CanceledOrder>;
export type MyTrade = Static<typeof MyTrade>;
export type ExecutionReport = Static<typeof ExecutionReport>;
export type ExchangeInfo = Static<typeof ExchangeInfo>;

/** The venue sent something that does not have the documented shape. */
export class MalformedVenueAnswerError extends Error {
  override readonly name = 'MalformedVenueAnswerError';
}

export interface WireParser<T> {
  (value: unknown): T;
  check(value: unknown): value is T;
}

/** A compiled checker that returns the typed value or throws MalformedVenueAnswerError naming the problem. */
export function wireParser<S extends TSchema>(schema: S, what: string): WireParser<Static<S>> {
  const validator = Compile(schema);
  const check = (value: unknown): value is Static<S> => validator.Check(value);
  const parse = (value: unknown): Static<S> => {
    if (check(value)) return value;
    const problems = validator
      .Errors(value)
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new MalformedVenueAnswerError(`malformed ${what}: ${problems.join('; ')}`);
  };
  return Object.assign(parse, { check });
}

export const parse = {
  serverTime: wireParser(ServerTime, 'server time'),
  newOrder: wireParser(NewOrderFull, 'new-order response'),
  order: wireParser(QueriedOrder, 'order'),
  orders: wireParser(Type.Array(QueriedOrder), 'open orders'),
  canceled: wireParser(CanceledOrder, 'cancel response'),
  trades: wireParser(Type.Array(MyTrade), 'trade list'),
  account: wireParser(Account, 'account'),
  exchangeInfo: wireParser(ExchangeInfo, 'exchange info'),
  priceFilter: wireParser(PriceFilter, 'PRICE_FILTER'),
  lotSize: wireParser(LotSize, 'LOT_SIZE'),
  notional: wireParser(NotionalFilter, 'NOTIONAL filter'),
  executionReport: wireParser(ExecutionReport, 'executionReport'),
  balanceUpdate: wireParser(BalanceUpdate, 'balanceUpdate'),
  tickerPrice: wireParser(TickerPrice, 'ticker price'),
};
