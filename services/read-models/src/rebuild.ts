// `blotter rebuild`: a blue/green rebuild of live read models while the projector keeps serving.
//  1. The chosen read models are rebuilt from sequence 1 into a shadow schema, every partition at
//     once, with the projector's own code (readers keep using the live tables).
//  2. A second pass catches up with what arrived meanwhile.
//  3. One transaction locks the live checkpoints (the live projector waits at its next batch),
//     applies the last few commits so the shadow is exactly at the live checkpoints, drops each live
//     table and moves its shadow twin into place. Readers see the old table until that commit and the
//     new one after it: never an empty table, and no update is lost because the live projector
//     resumes from the same checkpoints on the new tables.
// The live read models must have been built from the stream read now (stream-identity.ts). When they
// were not (the stream was recreated, or they are another clone's), `reset` rebuilds every read model
// from this stream and swaps in the shadow's checkpoints and channel versions too: the live ones
// count another stream's sequences, so nothing of them is kept.
import type { EventStore, StoredCommit } from '@blotter/eventstore';
import { type Kysely, sql } from 'kysely';
import { claimCheckpoints, ensureCheckpoints, lockCheckpoints, readCheckpoints } from './checkpoints.ts';
import type { ReadModelTables } from './db.ts';
import { migrateReadModels } from './migrations.ts';
import { forEachPartition } from './partitions.ts';
import { allReadModels } from './models.ts';
import type { AnyReadModel } from './read-model.ts';
import { applyBatch, applyBatchIn } from './runner/apply-batch.ts';
import { streamIdentity } from './stream-identity.ts';
import { snake } from './upsert.ts';

export interface RebuildReport {
  projections: string[];
  commits: number;
  /** True when the read models were reset onto the current stream (option `reset`). */
  reset: boolean;
  /** How long the final, locking transaction took, ms. */
  swapMs: number;
}

export async function rebuildReadModels(
  store: EventStore,
  db: Kysely<ReadModelTables>,
  liveSchema: string,
  names: readonly string[],
  options: { onProgress?: (seq: number, last: number) => void; reset?: boolean } = {},
): Promise<RebuildReport> {
  const reset = options.reset === true;
  const models = allReadModels.filter((m) => names.includes(m.name));
  if (models.length !== names.length)
    throw new Error(`unknown projection in ${names.join(', ')} (known: ${allReadModels.map((m) => m.name).join(', ')})`);
  if (reset && models.length !== allReadModels.length) throw new Error('a reset rebuilds every read model: give no projection');
  const identity = await streamIdentity(store);
  // The live tables get the shadow's shape: both must be at the latest migration.
  await migrateReadModels(db, liveSchema);
  // Throws StreamMismatchError (which names --reset) unless the live read models are this stream's.
  if (!reset) await claimCheckpoints(db, liveSchema, identity);
  const shadow = `rebuild_${Date.now().toString(36)}`;
  await migrateReadModels(db, shadow);
  let commits = 0;
  try {
    const counts = await forEachPartition(store.partitions, options.onProgress, async (p, onProgress) => {
      await ensureCheckpoints(
        db,
        shadow,
        models.map((m) => m.name),
        p,
        identity.key,
      );
      // Twice: the full history, then whatever arrived during the first pass.
      let n = 0;
      for (let pass = 0; pass < 2; pass++) n += await catchUp(store, db, shadow, models, p, identity.key, onProgress);
      return n;
    });
    commits += counts.reduce((a, b) => a + b, 0);
    const started = Date.now();
    await db.transaction().execute(async (trx) => {
      if (reset) {
        // Whoever projects into the live schema waits on these locks, then finds another stream's
        // checkpoints and stops (StreamMismatchError) instead of mixing histories.
        for (let p = 0; p < store.partitions; p++)
          await lockCheckpoints(
            trx,
            liveSchema,
            allReadModels.map((m) => m.name),
            p,
          );
        // What arrived since the second pass, so a projector of this stream that was running
        // anyway resumes exactly where the swapped-in checkpoints stand.
        for (let p = 0; p < store.partitions; p++) commits += await catchUp(store, db, shadow, models, p, identity.key);
        for (const table of [...models.map((m) => m.name), 'projectionCheckpoints', 'channelVersions']) {
          await sql`drop table ${sql.table(`${liveSchema}.${snake(table)}`)}`.execute(trx);
          await sql`alter table ${sql.table(`${shadow}.${snake(table)}`)} set schema ${sql.id(liveSchema)}`.execute(trx);
        }
        return;
      }
      for (let p = 0; p < store.partitions; p++) {
        const live = await lockCheckpoints(
          trx,
          liveSchema,
          models.map((m) => m.name),
          p,
          identity.key,
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
              identity.key,
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
    return { projections: models.map((m) => m.name), commits, reset, swapMs: Date.now() - started };
  } finally {
    await sql`drop schema if exists ${sql.id(shadow)} cascade`.execute(db);
  }
}

/** Applies to the shadow every commit of a partition after its shadow checkpoint. */
async function catchUp(
  store: EventStore,
  db: Kysely<ReadModelTables>,
  shadow: string,
  models: readonly AnyReadModel[],
  partition: number,
  stream: string,
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
    ...(onProgress ? { onProgress } : {}),
  })) {
    batch.push(commit);
    n++;
    if (batch.length >= 500) {
      await applyBatch(db, shadow, models, partition, batch, stream);
      batch = [];
    }
  }
  await applyBatch(db, shadow, models, partition, batch, stream);
  return n;
}
