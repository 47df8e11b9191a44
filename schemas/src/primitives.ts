// Building blocks shared by every schema. Money never travels as a JSON number: a decimal is a
// string, validated by pattern, so no float ever touches a price or a quantity on its way in.
import Type, { type Static } from 'typebox';

/** An input decimal per the public contract: no sign, no exponent, no spaces. */
export const Decimal = Type.String({
  pattern: '^[0-9]{1,20}(\\.[0-9]{1,18})?$',
  maxLength: 40,
  description: 'Non-negative decimal as a string, e.g. "0.001" or "64250.10"',
  examples: ['0.001'],
});
export type Decimal = Static<typeof Decimal>;

/** A decimal the system produces: may be negative (PnL), never an exponent. */
export const SignedDecimal = Type.String({
  pattern: '^-?[0-9]+(\\.[0-9]+)?$',
  description: 'Decimal as a string, possibly negative, e.g. "-12.5"',
  examples: ['-12.5'],
});
export type SignedDecimal = Static<typeof SignedDecimal>;

export const Id = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'A UUID (lower case)',
  examples: ['0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a'],
});
export type Id = Static<typeof Id>;

export const Timestamp = Type.String({
  format: 'date-time',
  description: 'ISO-8601 UTC time',
  examples: ['2026-11-24T12:00:00.000Z'],
});
export type Timestamp = Static<typeof Timestamp>;

export const MarketSymbol = Type.String({
  pattern: '^[A-Z0-9]{2,20}$',
  description: 'Exchange symbol, base then quote asset, e.g. BTCUSDT',
  examples: ['BTCUSDT'],
});
export type MarketSymbol = Static<typeof MarketSymbol>;

export const Asset = Type.String({ pattern: '^[A-Z0-9]{1,12}$', examples: ['USDT'] });
export type Asset = Static<typeof Asset>;

export const Side = Type.Enum(['BUY', 'SELL']);
export type Side = Static<typeof Side>;

export const OrderType = Type.Enum(['MARKET', 'LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);
export type OrderType = Static<typeof OrderType>;

export const TimeInForce = Type.Enum(['GTC', 'IOC', 'FOK']);
export type TimeInForce = Static<typeof TimeInForce>;

export const OrderStatus = Type.Enum([
  'PENDING_NEW',
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'PENDING_CANCEL',
  'CANCELED',
  'REJECTED',
  'EXPIRED',
  'DENIED',
]);
export type OrderStatus = Static<typeof OrderStatus>;

export const Venue = Type.Enum(['paper', 'binance-testnet']);
export type Venue = Static<typeof Venue>;

export const Role = Type.Enum(['trader', 'auditor']);
export type Role = Static<typeof Role>;

/** Client order ids travel to the venue as `newClientOrderId`, so they obey Binance's rule. */
export const ClientOrderId = Type.String({
  pattern: '^[a-zA-Z0-9_-]{1,36}$',
  description: 'Caller-chosen id, unique per user; repeating it returns the same order',
  examples: ['my-bot-000123'],
});
export type ClientOrderId = Static<typeof ClientOrderId>;

export const AssetAmount = Type.Object({ asset: Asset, amount: Decimal }, { additionalProperties: false });
export type AssetAmount = Static<typeof AssetAmount>;

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
