// Boot configuration, validated once from the environment. Everything else receives a typed
// SimConfig, so no module reads process.env on its own.
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';

const Decimal = Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,20})?$' });

export const EnvSchema = Type.Object({
  SIM_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3002 }),
  SIM_HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  SIM_ADMIN_TOKEN: Type.String({ minLength: 1 }),
  SIM_SEED: Type.Optional(Type.String({ minLength: 1 })),
  SIM_FEE_RATE: Type.String({ pattern: '^0(\\.[0-9]{1,8})?$', default: '0.001' }),
  SIM_STARTING_USDT: Type.String({ ...Decimal, default: '10000' }),
});
type Env = Static<typeof EnvSchema>;

export interface SimConfig {
  port: number;
  host: string;
  adminToken: string;
  /** Drives the whole price history; the same seed gives the same prices at the same instants. */
  seed: string;
  feeRate: string;
  startingUsdt: string;
}

export const DEFAULT_SEED = 'blotter';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv): SimConfig {
  const keys = Object.keys(EnvSchema.properties) as (keyof Env)[];
  const raw: Record<string, unknown> = {};
  for (const key of keys) {
    const value = env[key];
    // An empty variable means "not set": a blank SIM_ADMIN_TOKEN must not pass as a token.
    if (value !== undefined && value !== '') raw[key] = value;
  }
  if (raw.SIM_ADMIN_TOKEN === undefined) {
    throw new ConfigError('SIM_ADMIN_TOKEN is required (the bearer token for /admin); refusing to start without it');
  }
  const value = Value.Convert(EnvSchema, Value.Default(EnvSchema, raw));
  const errors = [...Value.Errors(EnvSchema, value)];
  if (errors.length > 0) {
    const detail = errors.map((e) => `${e.instancePath.slice(1) || 'env'} ${e.message}`).join('; ');
    throw new ConfigError(`invalid simulator configuration: ${detail}`);
  }
  const env_ = value as Env;
  return {
    port: env_.SIM_PORT,
    host: env_.SIM_HOST,
    adminToken: env_.SIM_ADMIN_TOKEN,
    seed: env_.SIM_SEED ?? DEFAULT_SEED,
    feeRate: env_.SIM_FEE_RATE,
    startingUsdt: env_.SIM_STARTING_USDT,
  };
}
