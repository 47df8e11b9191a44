// How an event type is declared: its name, the schema of every version it ever had, and the pure
// upcasters that lift version N to N+1. Readers only ever see the latest version; old messages in
// an immutable stream stay as they were written and are upcast on read.
import type { Static, TSchema } from 'typebox';

export interface EventDefinition<Type extends string, Latest extends TSchema> {
  readonly type: Type;
  readonly description: string;
  /** Schemas of versions 1..N, oldest first; the last one is the current shape. */
  readonly versions: readonly TSchema[];
  readonly latest: Latest;
  /** upcasters[i] turns version i+1 data into version i+2 data. */
  readonly upcasters: readonly ((data: unknown) => unknown)[];
  /** At least one example of the latest version, validated by the catalog tests. */
  readonly examples: readonly Static<Latest>[];
}

export function defineEvent<Type extends string, Latest extends TSchema>(def: {
  type: Type;
  description: string;
  versions: readonly [...TSchema[], Latest];
  upcasters?: readonly ((data: unknown) => unknown)[];
  examples: readonly Static<Latest>[];
}): EventDefinition<Type, Latest> {
  const upcasters = def.upcasters ?? [];
  if (upcasters.length !== def.versions.length - 1) {
    throw new Error(`${def.type}: ${def.versions.length} versions need ${def.versions.length - 1} upcasters`);
  }
  return {
    type: def.type,
    description: def.description,
    versions: def.versions,
    latest: def.versions[def.versions.length - 1] as Latest,
    upcasters,
    examples: def.examples,
  };
}

/** The typed event a decider or projection sees: the latest shape of one definition. */
export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? { type: T; data: Static<S> } : never;
