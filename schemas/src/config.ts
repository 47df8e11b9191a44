// Configuration from the environment, validated once at boot against a TypeBox schema. A service
// that lacks a required variable refuses to start and names it; nothing secret has a default.
import type { Static, TObject } from 'typebox';
import { Compile } from 'typebox/compile';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Env values are strings; numbers and booleans are converted by the schema's declared types. */
export function parseEnv<S extends TObject>(schema: S, env: Record<string, string | undefined> = process.env): Static<S> {
  const validator = Compile(schema);
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
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
