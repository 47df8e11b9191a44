// Boot configuration, validated once from the environment by the same shared validation as every
// service (so a placeholder secret from .env.example is refused here too). Everything else receives
// a typed SimConfig, so no module reads process.env on its own.
import { fileURLToPath } from 'node:url';
import { ConfigError, parseEnv, Secret } from '@blotter/schemas';
import Type from 'typebox';
import type { FilterOverrides } from './market/symbols.ts';

export { ConfigError };

const Decimal = Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,20})?$' });
const Count = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });

export const EnvSchema = Type.Object({
  SIM_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3002 }),
  SIM_HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  SIM_ADMIN_TOKEN: Secret({ minLength: 1 }),
  SIM_SEED: Type.Optional(Type.String({ minLength: 1 })),
  SIM_FEE_RATE: Type.String({ pattern: '^0(\\.[0-9]{1,8})?$', default: '0.001' }),
  SIM_STARTING_USDT: Type.String({ ...Decimal, default: '10000' }),
  SIM_STARTING_BALANCES: Type.Optional(
    Type.String({ pattern: '^[A-Z0-9]{1,20}=[0-9]{1,20}(\\.[0-9]{1,8})?(,[A-Z0-9]{1,20}=[0-9]{1,20}(\\.[0-9]{1,8})?)*$' }),
  ),
  SIM_DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  SIM_REQUEST_WEIGHT_1M: Type.Optional(Count),
  SIM_RAW_REQUESTS_5M: Type.Optional(Count),
  SIM_ORDERS_10S: Type.Optional(Count),
  SIM_ORDERS_1D: Type.Optional(Count),
  SIM_BNB_FEE_MULTIPLIER: Type.Optional(Type.String({ pattern: '^(0(\\.[0-9]{1,8})?|1(\\.0{1,8})?)$' })),
  SIM_PAY_FEES_IN_BNB: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
});

/** Binance's request and order limits; every instance may raise them (the bench does). */
export interface Limits {
  /** REQUEST_WEIGHT per minute per IP (Binance: 6000). */
  requestWeightPerMinute: number;
  /** RAW_REQUESTS per 5 minutes per IP (Binance: 61000). */
  rawRequestsPer5m: number;
  /** Unfilled ORDERS per 10 seconds per account (Binance: 100). */
  ordersPer10s: number;
  /** Unfilled ORDERS per day per account (Binance: 200000). */
  ordersPerDay: number;
}

export const BINANCE_LIMITS: Limits = { requestWeightPerMinute: 6000, rawRequestsPer5m: 61_000, ordersPer10s: 100, ordersPerDay: 200_000 };

export interface SimConfig {
  port: number;
  host: string;
  adminToken: string;
  /** Drives the whole price history; the same seed gives the same prices at the same instants. */
  seed: string;
  /** Maker and taker commission rate. */
  feeRate: string;
  /** USDT of an account created without explicit balances (unless startingBalances says otherwise). */
  startingUsdt: string;
  /** Balances of an account created without explicit ones; replaces startingUsdt when set. */
  startingBalances?: Record<string, string>;
  /** Where accounts, orders and trades are kept across restarts; unset = in memory only. */
  dataDir?: string;
  limits?: Partial<Limits>;
  /** What is charged of a commission paid in BNB (Binance: 0.75, i.e. 25 % off). */
  bnbFeeMultiplier?: string;
  /** Default of "pay fees in BNB" for new accounts. */
  payFeesInBnb?: boolean;
  /** Journal bytes after which a snapshot replaces it (default 64 MB). */
  journalCompactBytes?: number;
  /** Filter fields per symbol replacing Binance's values (e.g. `{BTCUSDT: {price: {maxPrice: '0'}}}`). */
  filters?: Record<string, FilterOverrides>;
}

export const DEFAULT_SEED = 'blotter';
/** `SIM_DATA_DIR=:memory:` keeps nothing on disk. */
export const MEMORY = ':memory:';
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../.data/sim', import.meta.url));

export function loadConfig(env: NodeJS.ProcessEnv): SimConfig {
  // An empty variable means "not set": a blank SIM_ADMIN_TOKEN must not pass as a token.
  if (!env.SIM_ADMIN_TOKEN) {
    throw new ConfigError('SIM_ADMIN_TOKEN is required (the bearer token for /admin); refusing to start without it');
  }
  const e = parseEnv(EnvSchema, env);
  const limits: Partial<Limits> = {
    ...(e.SIM_REQUEST_WEIGHT_1M !== undefined ? { requestWeightPerMinute: e.SIM_REQUEST_WEIGHT_1M } : {}),
    ...(e.SIM_RAW_REQUESTS_5M !== undefined ? { rawRequestsPer5m: e.SIM_RAW_REQUESTS_5M } : {}),
    ...(e.SIM_ORDERS_10S !== undefined ? { ordersPer10s: e.SIM_ORDERS_10S } : {}),
    ...(e.SIM_ORDERS_1D !== undefined ? { ordersPerDay: e.SIM_ORDERS_1D } : {}),
  };
  const dataDir = e.SIM_DATA_DIR ?? DEFAULT_DATA_DIR;
  return {
    port: e.SIM_PORT,
    host: e.SIM_HOST,
    adminToken: e.SIM_ADMIN_TOKEN,
    seed: e.SIM_SEED ?? DEFAULT_SEED,
    feeRate: e.SIM_FEE_RATE,
    startingUsdt: e.SIM_STARTING_USDT,
    ...(e.SIM_STARTING_BALANCES ? { startingBalances: parseBalances(e.SIM_STARTING_BALANCES) } : {}),
    ...(dataDir === MEMORY ? {} : { dataDir }),
    limits,
    ...(e.SIM_BNB_FEE_MULTIPLIER ? { bnbFeeMultiplier: e.SIM_BNB_FEE_MULTIPLIER } : {}),
    ...(e.SIM_PAY_FEES_IN_BNB ? { payFeesInBnb: e.SIM_PAY_FEES_IN_BNB === 'true' } : {}),
  };
}

/** "USDT=10000,BTC=1" (the schema's pattern has already checked the shape). */
function parseBalances(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of s.split(',')) {
    const [asset = '', amount = ''] = pair.split('=');
    out[asset] = amount;
  }
  return out;
}

export const limitsOf = (config: SimConfig): Limits => ({ ...BINANCE_LIMITS, ...config.limits });
