// Checks a value from the network against a contract schema, tolerating fields the schema does
// not know (a newer gateway may add some): they are dropped from a copy, then the copy is checked.
// No `as` cast: the result is typed from the schema.
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';

export function conform<S extends TSchema>(schema: S, value: unknown): Static<S> | undefined {
  const cleaned = Value.Clean(schema, Value.Clone(value));
  return Value.Check(schema, cleaned) ? cleaned : undefined;
}
