// The CLI's settings: the very declarations the services validate (StackSettings), checked when a
// command first needs them, so `blotter schemas` and every `--help` run with nothing set. What is
// missing or wrong comes back as one line saying what to run.
import { ConfigError, parseEnv, StackSettings } from '@blotter/schemas';
import Type, { type Static } from 'typebox';

export const CliSettings = Type.Object(StackSettings);
export type CliSettings = Static<typeof CliSettings>;
type Name = keyof typeof StackSettings;

const WRITTEN_BY_MAKE_UP = 'run `make up` (or `make dev`): it writes .data/infra.env, which ./blotter reads';
const WRITTEN_BY_MAKE_DEV = 'run `make dev` once: it writes .env with fresh secrets, which ./blotter reads';
const hints: Record<Name, string> = {
  NATS_URL: WRITTEN_BY_MAKE_UP,
  DATABASE_URL: WRITTEN_BY_MAKE_UP,
  BLOTTER_NAMESPACE: 'set it in .env to the namespace the services run with (lower-case letters and digits)',
  READ_MODEL_SCHEMA: 'set it in .env to the schema the services run with (lower-case letters, digits, _)',
  STREAM_PARTITIONS: 'set it in .env to a whole number from 1 to 1024, or leave it out',
  STREAM_REPLICAS: 'set it in .env to a whole number from 1 to 5 (3 on `make cluster`), or leave it out',
  KEY_ENCRYPTION_KEY: WRITTEN_BY_MAKE_DEV,
  KEY_ENCRYPTION_KEY_PREVIOUS: 'set it in .env to the comma-separated older keys, or leave it empty',
  BINANCE_TESTNET_URL: 'set it in .env to an http(s) URL of a Binance-compatible testnet, or leave it out',
};

/** The named settings, validated; a ConfigError's message ends with what to run. */
export function settings<K extends Name>(env: Record<string, string | undefined>, names: readonly K[]): Pick<CliSettings, K> {
  try {
    return parseEnv(Type.Pick(CliSettings, [...names]), env) as Pick<CliSettings, K>;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // The placeholder refusal already says what to do.
    if (/placeholder/.test(err.message)) throw err;
    const hint = err.variables.map((v) => hints[v as Name]).find(Boolean);
    throw new ConfigError(hint ? `${err.message}: ${hint}` : err.message, err.variables);
  }
}
