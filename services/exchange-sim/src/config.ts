// Boot configuration, validated once from the environment by the same shared validation as every
// service (so a placeholder secret from .env.example is refused here too). Everything else receives
// a typed SimConfig, so no module reads process.env on its own.
import { ConfigError, parseEnv, Secret } from '@blotter/schemas';
import Type from 'typebox';

export { ConfigError };

const Decimal = Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,20})?$' });

export const EnvSchema = Type.Object({
  SIM_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3002 }),
  SIM_HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  SIM_ADMIN_TOKEN: Secret({ minLength: 1 }),
  SIM_SEED: Type.Optional(Type.String({ minLength: 1 })),
  SIM_FEE_RATE: Type.String({ pattern: '^0(\\.[0-9]{1,8})?$', default: '0.001' }),
  SIM_STARTING_USDT: Type.String({ ...Decimal, default: '10000' }),
});

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

export function loadConfig(env: NodeJS.ProcessEnv): SimConfig {
  // An empty variable means "not set": a blank SIM_ADMIN_TOKEN must not pass as a token.
  if (!env.SIM_ADMIN_TOKEN) {
    throw new ConfigError('SIM_ADMIN_TOKEN is required (the bearer token for /admin); refusing to start without it');
  }
  const c = parseEnv(EnvSchema, env);
  return {
    port: c.SIM_PORT,
    host: c.SIM_HOST,
    adminToken: c.SIM_ADMIN_TOKEN,
    seed: c.SIM_SEED ?? DEFAULT_SEED,
    feeRate: c.SIM_FEE_RATE,
    startingUsdt: c.SIM_STARTING_USDT,
  };
}
