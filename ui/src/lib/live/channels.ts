// The live channels of `GET /api/ws` and the shape of the rows each one carries. Row schemas are
// the contract's schemas, opened up: extra fields are tolerated and the per-user bookkeeping
// fields (userId, version) may be absent, since REST snapshots leave them out.
import {
  Alert,
  Balance,
  Candle,
  type CandleInterval,
  isCandleInterval,
  isUserChannel,
  Order,
  Position,
  Ticker,
  Trade,
  type UserChannel,
} from '@blotter/schemas';
import Type, { type Static } from 'typebox';

export const OrderRow = Type.Object({
  ...Order.properties,
  userId: Type.Optional(Order.properties.userId),
  version: Type.Optional(Type.Integer()),
});
export type OrderRow = Static<typeof OrderRow>;

export const TradeRow = Type.Object({
  ...Trade.properties,
  userId: Type.Optional(Trade.properties.userId),
  version: Type.Optional(Type.Integer()),
});
export type TradeRow = Static<typeof TradeRow>;

/** Updates carry no mark price: the UI computes it from the ticker. */
export const PositionRow = Type.Object({
  ...Position.properties,
  userId: Type.Optional(Position.properties.userId),
  version: Type.Optional(Type.Integer()),
  markPrice: Type.Optional(Position.properties.markPrice),
  unrealizedPnl: Type.Optional(Position.properties.unrealizedPnl),
});
export type PositionRow = Static<typeof PositionRow>;

export const BalanceRow = Type.Object({
  asset: Balance.properties.asset,
  free: Balance.properties.free,
  locked: Balance.properties.locked,
});
export type BalanceRow = Static<typeof BalanceRow>;

export const AlertRow = Type.Object({
  ...Alert.properties,
  userId: Type.Optional(Alert.properties.userId),
  version: Type.Optional(Type.Integer()),
});
export type AlertRow = Static<typeof AlertRow>;

export const CandleRow = Type.Object(Candle.properties);
export type CandleRow = Static<typeof CandleRow>;

export const TickerRow = Type.Object(Ticker.properties);
export type TickerRow = Static<typeof TickerRow>;

export type ChannelRef =
  | { kind: UserChannel }
  | { kind: 'ticker'; symbol: string }
  | { kind: 'candles'; symbol: string; interval: CandleInterval };

export type ChannelKind = ChannelRef['kind'];

const CHANNEL = /^(?:ticker:([A-Z0-9]{2,20})|candles:([A-Z0-9]{2,20}):([0-9a-z]+))$/;

export function parseChannel(channel: string): ChannelRef | null {
  if (isUserChannel(channel)) return { kind: channel };
  const m = CHANNEL.exec(channel);
  if (!m) return null;
  if (m[1]) return { kind: 'ticker', symbol: m[1] };
  const interval = m[3] ?? '';
  if (m[2] && isCandleInterval(interval)) return { kind: 'candles', symbol: m[2], interval };
  return null;
}

export const tickerChannel = (symbol: string) => `ticker:${symbol}`;
export const candlesChannel = (symbol: string, interval: CandleInterval) => `candles:${symbol}:${interval}`;
export { USER_CHANNELS as ACCOUNT_CHANNELS } from '@blotter/schemas';

/** What each kind holds once synced; snapshots and updates differ only for the market channels. */
export interface ChannelData {
  orders: OrderRow[];
  trades: TradeRow[];
  positions: PositionRow[];
  balances: BalanceRow[];
  alerts: AlertRow[];
  ticker: TickerRow | null;
  candles: CandleRow[];
}

export const SNAPSHOT_SCHEMA = {
  orders: Type.Array(OrderRow),
  trades: Type.Array(TradeRow),
  positions: Type.Array(PositionRow),
  balances: Type.Array(BalanceRow),
  alerts: Type.Array(AlertRow),
  ticker: Type.Union([TickerRow, Type.Null()]),
  candles: Type.Array(CandleRow),
} as const;

export const UPDATE_SCHEMA = {
  orders: Type.Array(OrderRow),
  trades: Type.Array(TradeRow),
  positions: Type.Array(PositionRow),
  balances: Type.Array(BalanceRow),
  alerts: Type.Array(AlertRow),
  ticker: TickerRow,
  candles: CandleRow,
} as const;
