// `blotter rebuild`: a blue/green rebuild of live read models while the projector keeps serving.
//  1. The chosen read models are rebuilt from sequence 1 into a shadow schema, every partition at
//     once, with the projector's own code (readers keep using the live tables).
//  2. A second pass catches up with what arrived meanwhile.
//  3. One transaction locks the live checkpoints (the live projector waits at its next batch),
//     applies the last few commits so the shadow is exactly at the live checkpoints, drops each live
//     table and moves its shadow twin into place. Readers see the old table until that commit and the
//     new one after it: never an empty table, and no update is lost because the live projector
//     resumes from the same checkpoints on the new tables.
import type { EventStore, StoredCommit } from '@blotter/eventstore';
import { type Kysely, sql } from 'kysely';
import { ensureCheckpoints, lockCheckpoints, readCheckpoints } from './checkpoints.ts';
import type { ReadModelTables } from './db.ts';
import { migrateReadModels } from './migrations.ts';
import { forEachPartition } from './partitions.ts';
import { allReadModels } from './models.ts';
import type { AnyReadModel } from './read-model.ts';
import { applyBatch, applyBatchIn } from './runner/apply-batch.ts';
import { snake } from './upsert.ts';

export interface RebuildReport {
  projections: string[];
  commits: number;
  /** How long the final, locking transaction took, ms. */
  swapMs: number;
}

export async function rebuildReadModels(
  store: EventStore,
  db: Kysely<ReadModelTables>,
  liveSchema: string,
  names: readonly string[],
  options: { onProgress?: (seq: number, last: number) => void } = {},
): Promise<RebuildReport> {
  const models = allReadModels.filter((m) => names.includes(m.name));
  if (models.length !== names.length)
    throw new Error(`unknown projection in ${names.join(', ')} (known: ${allReadModels.map((m) => m.name).join(', ')})`);
  const shadow = `rebuild_${Date.now().toString(36)}`;
  await migrateReadModels(db as Kysely<unknown>, shadow);
  let commits = 0;
  try {
    const counts = await forEachPartition(store.partitions, options.onProgress, async (p, onProgress) => {
      await ensureCheckpoints(
        db,
        shadow,
        models.map((m) => m.name),
        p,
      );
      // Twice: the full history, then whatever arrived during the first pass.
      let n = 0;
      for (let pass = 0; pass < 2; pass++) n += await catchUp(store, db, shadow, models, p, undefined, onProgress);
      return n;
    });
    commits += counts.reduce((a, b) => a + b, 0);
    const started = Date.now();
    await db.transaction().execute(async (trx) => {
      for (let p = 0; p < store.partitions; p++) {
        const live = await lockCheckpoints(
          trx,
          liveSchema,
          models.map((m) => m.name),
          p,
        );
        const target = Math.max(0, ...live.values());
        const done = Math.min(...(await readCheckpoints(trx, shadow)).filter((c) => c.partition === p).map((c) => c.seq));
        if (target > done) {
          const tail: StoredCommit[] = [];
          for await (const c of store.read({
            filter: store.subjects.partitionEvents(p),
            fromSeq: done + 1,
            toSeq: target,
            onPoison: () => {},
          }))
            tail.push(c);
          for (const model of models) {
            const upTo = live.get(model.name) ?? 0;
            await applyBatchIn(
              trx,
              shadow,
              [model],
              p,
              tail.filter((c) => c.seq <= upTo),
            );
          }
          commits += tail.length;
        }
      }
      for (const model of models) {
        await sql`drop table ${sql.table(`${liveSchema}.${snake(model.name)}`)}`.execute(trx);
        await sql`alter table ${sql.table(`${shadow}.${snake(model.name)}`)} set schema ${sql.id(liveSchema)}`.execute(trx);
      }
    });
    return { projections: models.map((m) => m.name), commits, swapMs: Date.now() - started };
  } finally {
    await sql`drop schema if exists ${sql.id(shadow)} cascade`.execute(db);
  }
}

/** Applies to the shadow every commit of a partition after its shadow checkpoint (up to `toSeq`). */
async function catchUp(
  store: EventStore,
  db: Kysely<ReadModelTables>,
  shadow: string,
  models: readonly AnyReadModel[],
  partition: number,
  toSeq: number | undefined,
  onProgress?: (seq: number, last: number) => void,
): Promise<number> {
  const from = Math.min(...(await readCheckpoints(db, shadow)).filter((c) => c.partition === partition).map((c) => c.seq));
  let batch: StoredCommit[] = [];
  let n = 0;
  // Undecodable messages are skipped exactly as the live projector skips them (after dead-lettering).
  for await (const commit of store.read({
    filter: store.subjects.partitionEvents(partition),
    fromSeq: from + 1,
    onPoison: () => {},
    ...(toSeq ? { toSeq } : {}),
    ...(onProgress ? { onProgress } : {}),
  })) {
    batch.push(commit);
    n++;
    if (batch.length >= 500) {
      await applyBatch(db, shadow, models, partition, batch);
      batch = [];
    }
  }
  await applyBatch(db, shadow, models, partition, batch);
  return n;
}
