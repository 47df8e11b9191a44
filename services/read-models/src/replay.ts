// Rebuilding read models in memory from a stream of commits: `blotter replay --as-of` and the
// auditor's "positions as of". It drives the very same read models (keysOf/apply) as the live
// runner, so there is no second implementation of any rule.
import type { EventStore, StoredCommit } from '@blotter/eventstore';
import { allReadModels } from './models.ts';
import type { AnyReadModel } from './read-model.ts';

export class InMemoryReplay {
  readonly tables = new Map<string, Map<string, unknown>>();
  lastSeq = 0;

  constructor(readonly models: readonly AnyReadModel[]) {
    for (const m of models) this.tables.set(m.name, new Map());
  }

  apply(commit: StoredCommit): void {
    for (const model of this.models) {
      const rows = this.tables.get(model.name) as Map<string, unknown>;
      for (const event of commit.events) {
        for (const key of model.keysOf(event)) rows.set(key, model.apply(rows.get(key), event, key));
      }
    }
    this.lastSeq = commit.seq;
  }

  /** Rows of one read model, optionally only one user's. */
  rows<T = unknown>(name: string, userId?: string): T[] {
    const model = this.models.find((m) => m.name === name);
    if (!model) throw new Error(`no read model ${name}`);
    const rows = [...(this.tables.get(name)?.values() ?? [])];
    return (userId ? rows.filter((r) => model.userOf(r) === userId) : rows) as T[];
  }
}

/** Where a replay stops: a stream sequence, or a time (commits stored after it are left out). */
export type Cut = { seq: number } | { time: Date };

/**
 * The read models as they were at `cut`, rebuilt in memory from the stream (all users, or one:
 * then only that user's subjects are read). The live tables are not touched.
 */
export async function replayUntil(
  store: EventStore,
  cut: Cut,
  options: { userId?: string; onProgress?: (seq: number, last: number) => void } = {},
): Promise<InMemoryReplay> {
  const replay = new InMemoryReplay(allReadModels);
  const filter = options.userId ? store.subjects.userEvents(options.userId) : store.subjects.allEvents;
  const toSeq = 'seq' in cut ? cut.seq : undefined;
  for await (const commit of store.read({
    filter,
    // Undecodable messages are skipped, as the live projector skips them.
    onPoison: () => {},
    ...(toSeq !== undefined ? { toSeq } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  })) {
    if ('time' in cut && commit.time > cut.time) break;
    replay.apply(commit);
  }
  return replay;
}
