import { parseEnv, StackSettings } from '@blotter/schemas';
import Type, { type Static } from 'typebox';

export const MarketConfig = Type.Object({
  NATS_URL: StackSettings.NATS_URL,
  BLOTTER_NAMESPACE: StackSettings.BLOTTER_NAMESPACE,
  STREAM_PARTITIONS: StackSettings.STREAM_PARTITIONS,
  STREAM_REPLICAS: StackSettings.STREAM_REPLICAS,
  /** Where market data comes from: the simulator (paper) or Binance Spot testnet. */
  DEFAULT_VENUE: Type.Enum(['paper', 'binance-testnet'], { default: 'paper' }),
  SIM_URL: Type.String({ default: 'http://127.0.0.1:3002' }),
  MARKET_SYMBOLS: Type.String({ default: 'BTCUSDT,ETHUSDT,SOLUSDT,BNBUSDT', pattern: '^[A-Z0-9]+(,[A-Z0-9]+)*$' }),
  MARKET_TICK_MS: Type.Integer({ default: 1000, minimum: 100 }),
  MARKET_CANDLE_REFRESH_MS: Type.Integer({ default: 15_000, minimum: 1000 }),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type MarketConfig = Static<typeof MarketConfig>;
export const loadMarketConfig = (env = process.env) => parseEnv(MarketConfig, env);
