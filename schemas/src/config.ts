// Configuration from the environment, validated once at boot against a TypeBox schema. A service
// that lacks a required variable refuses to start and names it; nothing secret has a default.
import Type, { type Static, type TObject, type TSchema, type TStringOptions } from 'typebox';
import { Compile } from 'typebox/compile';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
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
      );
    raw[key] = value;
  }
  const value = validator.Default(validator.Convert(raw));
  if (!validator.Check(value)) {
    const problems = validator.Errors(value).map((e) => {
      const name = e.instancePath.slice(1) || String((e.params as { requiredProperties?: string[] }).requiredProperties?.join(', ') ?? '');
      return e.keyword === 'required' ? `missing ${name}` : `${name}: ${e.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
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
