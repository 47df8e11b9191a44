// Gateway configuration, validated once at boot. Secrets have no defaults: a gateway started without
// JWT_SECRET or KEY_ENCRYPTION_KEY refuses to start and names the missing variable.
import Type, { type Static } from 'typebox';
import { ConfigError, parseEnv, Secret, StackSettings } from '@blotter/schemas';

export const GatewayConfig = Type.Object({
  PORT: Type.Integer({ default: 3001, minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  NATS_URL: StackSettings.NATS_URL,
  DATABASE_URL: StackSettings.DATABASE_URL,
  BLOTTER_NAMESPACE: StackSettings.BLOTTER_NAMESPACE,
  STREAM_PARTITIONS: StackSettings.STREAM_PARTITIONS,
  STREAM_REPLICAS: StackSettings.STREAM_REPLICAS,
  READ_MODEL_SCHEMA: StackSettings.READ_MODEL_SCHEMA,
  /** HMAC key for session tokens (HS256); at least 32 characters. */
  JWT_SECRET: Secret({ minLength: 32 }),
  JWT_TTL_SECONDS: Type.Integer({ default: 12 * 3600, minimum: 60 }),
  KEY_ENCRYPTION_KEY: StackSettings.KEY_ENCRYPTION_KEY,
  KEY_ENCRYPTION_KEY_PREVIOUS: StackSettings.KEY_ENCRYPTION_KEY_PREVIOUS,
  /** Operator secret for the admin API (kill switch); empty disables that API. */
  ADMIN_TOKEN: Secret({ default: '', pattern: '^$|^.{32,}$' }),
  DEFAULT_VENUE: Type.Enum(['paper', 'binance-testnet'], { default: 'paper' }),
  /** The exchange simulator, where paper accounts are opened. */
  SIM_URL: Type.String({ default: 'http://127.0.0.1:3002' }),
  SIM_ADMIN_TOKEN: Secret({ default: '' }),
  BINANCE_TESTNET_URL: StackSettings.BINANCE_TESTNET_URL,
  /** Orders a user may submit per second (HTTP 429 beyond). */
  ORDER_RATE_PER_SECOND: Type.Integer({ default: 20, minimum: 1 }),
  /** Login attempts per email and address per minute (password guessing). */
  LOGIN_ATTEMPTS_PER_MINUTE: Type.Integer({ default: 10, minimum: 1 }),
  MAX_NOTIONAL: Type.String({ default: '100000', pattern: '^[0-9]+(\\.[0-9]+)?$' }),
  MAX_OPEN_ORDERS: Type.Integer({ default: 200, minimum: 1 }),
  FEE_MARGIN: Type.String({ default: '0.001', pattern: '^0(\\.[0-9]+)?$' }),
  MARKET_SLIPPAGE: Type.String({ default: '0.05', pattern: '^0(\\.[0-9]+)?$' }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 64 * 1024, minimum: 1024 }),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type GatewayConfig = Static<typeof GatewayConfig>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const config = parseEnv(GatewayConfig, env);
  if (config.DEFAULT_VENUE === 'paper' && config.SIM_ADMIN_TOKEN === '') {
    throw new ConfigError('invalid configuration: missing SIM_ADMIN_TOKEN (needed to open paper accounts)');
  }
  return config;
}
