// Configuration from the environment, validated once at boot against a TypeBox schema. A service
// that lacks a required variable refuses to start and names it; nothing secret has a default.
import Type, { type Static, type TObject, type TSchema, type TStringOptions } from 'typebox';
import { Compile } from 'typebox/compile';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The variables at fault, so a caller can say what to run for each. */
  constructor(
    message: string,
    readonly variables: readonly string[] = [],
  ) {
    super(message);
  }
}

/**
 * The value `.env.example` gives every secret. A copied example file (or one read by a parser that
 * takes a line's comment as its value) must never sign tokens or encrypt keys with text anyone can
 * read in the repository, so a secret that contains it is refused like a missing one.
 */
export const SECRET_PLACEHOLDER = 'change-me';

const SECRET_MARK = 'x-secret';

/** A secret setting: refused while it holds (or contains) the placeholder. */
export const Secret = (options: TStringOptions = {}) => Type.String({ ...options, [SECRET_MARK]: true });

const isSecret = (schema: TSchema) => (schema as Record<string, unknown>)[SECRET_MARK] === true;

/**
 * Settings that every process of one stack (services and the `blotter` CLI) shares, declared once:
 * a CLI that accepted a namespace the services reject would read streams nobody writes.
 */
export const StackSettings = {
  /** NATS server(s), comma separated; `make up` writes it to .data/infra.env. */
  NATS_URL: Type.String({ minLength: 1 }),
  /** Postgres holding accounts and read models; `make up` writes it to .data/infra.env. */
  DATABASE_URL: Type.String({ minLength: 1 }),
  /** Prefix of every stream and subject. */
  BLOTTER_NAMESPACE: Type.String({ default: 'blotter', pattern: '^[a-z][a-z0-9]*$' }),
  /** Postgres schema of the read models. */
  READ_MODEL_SCHEMA: Type.String({ default: 'public', pattern: '^[a-z_][a-z0-9_]*$' }),
  /**
   * Partitions of a new event stream (an existing one keeps its own, docs/SCALING.md); caps how
   * many projector and executor instances can share the work.
   */
  STREAM_PARTITIONS: Type.Integer({ default: 4, minimum: 1, maximum: 1024 }),
  /** Replicas of new streams and buckets: 1 on a single server, 3 on `make cluster` (.data/cluster.env). */
  STREAM_REPLICAS: Type.Integer({ default: 1, minimum: 1, maximum: 5 }),
  /** 32 bytes, base64: encrypts the users' venue keys at rest. */
  KEY_ENCRYPTION_KEY: Secret({ minLength: 40 }),
  /** Earlier keys, comma separated, still accepted for reading during a rotation. */
  KEY_ENCRYPTION_KEY_PREVIOUS: Secret({ default: '' }),
  /**
   * Root URL of the venue that `binance-testnet` keys are used on: Binance's Spot testnet, or a
   * Binance-compatible stand-in (the tests point it at the exchange simulator).
   */
  BINANCE_TESTNET_URL: Type.String({ default: 'https://testnet.binance.vision', pattern: '^https?://[^\\s/]+(/[^\\s]*)?$' }),
};

/** How new streams are sized, for tools that start no service (ensure-streams, the test kit). */
export const StreamSettings = Type.Object({
  STREAM_PARTITIONS: StackSettings.STREAM_PARTITIONS,
  STREAM_REPLICAS: StackSettings.STREAM_REPLICAS,
});

/** Env values are strings; numbers and booleans are converted by the schema's declared types. */
export function parseEnv<S extends TObject>(schema: S, env: Record<string, string | undefined> = process.env): Static<S> {
  const validator = Compile(schema);
  const raw: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    if (isSecret(property) && value.toLowerCase().includes(SECRET_PLACEHOLDER))
      throw new ConfigError(
        `${key} is still the placeholder from .env.example: put a real secret in .env (or delete .env and run \`make dev\`, which writes fresh ones)`,
        [key],
      );
    raw[key] = value;
  }
  const value = validator.Default(validator.Convert(raw));
  if (!validator.Check(value)) {
    const variables: string[] = [];
    const problems = validator.Errors(value).map((e) => {
      const names = e.instancePath ? [e.instancePath.slice(1)] : ((e.params as { requiredProperties?: string[] }).requiredProperties ?? []);
      variables.push(...names);
      return e.keyword === 'required' ? `missing ${names.join(', ')}` : `${names.join(', ')}: ${e.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`, variables);
  }
  return value;
}

/**
 * A service's entry point: its configuration, or one line on stderr saying what is wrong and exit
 * code 1 (a stack trace would bury the one thing a person has to fix).
 */
export function configOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${service}: ${err.message}\n`);
    process.exit(1);
  }
}
