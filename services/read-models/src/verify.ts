// `blotter verify`: proves the read models from the streams instead of trusting them.
//  1. In one REPEATABLE READ transaction the live checkpoints are read (that fixes what the live
//     tables reflect, even while the projector keeps running).
//  2. Every read model is rebuilt into a scratch schema from sequence 1 up to exactly those
//     checkpoints, with the same code the projector runs.
//  3. The live rows (read in the same transaction) are compared with the rebuilt ones, row by row.
//  4. Meanwhile every commit's hash is recomputed from its stored envelopes and checked against the
//     previous commit of the same aggregate: the first broken link of each chain is reported.
//  5. The checkpoints must belong to this stream (stream-identity.ts): read models built from
//     another one are reported as such, whatever their rows say.
import { commitHash, type EventStore, type PoisonMessageError, type StoredCommit } from '@blotter/eventstore';
import type { BrokenLink, RowDifference, VerifyReport } from '@blotter/schemas';
import { type Kysely, sql, type Transaction } from 'kysely';
import { ensureCheckpoints, readCheckpoints } from './checkpoints.ts';
import type { ReadModelTables } from './db.ts';
import { migrateReadModels } from './migrations.ts';
import { forEachPartition } from './partitions.ts';
import { allReadModels } from './models.ts';
import type { AnyReadModel } from './read-model.ts';
import { applyBatch } from './runner/apply-batch.ts';
import { RESET_HINT, streamIdentity } from './stream-identity.ts';

const MAX_REPORTED = 200;

export async function verifyReadModels(
  store: EventStore,
  db: Kysely<ReadModelTables>,
  liveSchema: string,
  options: { onProgress?: (seq: number, last: number) => void } = {},
): Promise<VerifyReport> {
  const scratch = `verify_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  await migrateReadModels(db, scratch);
  try {
    return await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const checkpoints = await readCheckpoints(trx, liveSchema);
        const identity = await streamIdentity(store);
        // `?? null`: a schema the projector has not migrated yet has no stream column.
        const builtFrom = [...new Set(checkpoints.map((c) => c.stream ?? null).filter((s): s is string => s !== null))];
        const matches =
          builtFrom.every((s) => s === identity.key) && checkpoints.every((c) => (c.stream ?? null) !== null || c.seq <= identity.lastSeq);
        const chain = new ChainChecker();
        const undecodable: VerifyReport['undecodable'] = [];
        let commits = 0;
        await forEachPartition(store.partitions, options.onProgress, async (p, onProgress) => {
          const cut = new Map(
            allReadModels.map((m) => [m.name, checkpoints.find((c) => c.projection === m.name && c.partition === p)?.seq ?? 0]),
          );
          await ensureCheckpoints(
            db,
            scratch,
            allReadModels.map((m) => m.name),
            p,
          );
          const until = Math.max(0, ...cut.values());
          let batch: StoredCommit[] = [];
          const flush = async () => {
            for (const model of allReadModels) {
              const mine = batch.filter((c) => c.seq <= (cut.get(model.name) ?? 0));
              if (mine.length > 0) await applyBatch(db, scratch, [model], p, mine);
            }
            batch = [];
          };
          // Commits after the checkpoint are not in the live tables yet, but their chain still counts.
          for await (const commit of store.read({
            filter: store.subjects.partitionEvents(p),
            onPoison: (e: PoisonMessageError) => undecodable.push({ seq: e.seq, subject: e.subject, error: e.message }),
            ...(onProgress ? { onProgress } : {}),
          })) {
            chain.check(commit);
            commits++;
            if (commit.seq > until) continue;
            batch.push(commit);
            if (batch.length >= 500) await flush();
          }
          await flush();
        });
        const tables: VerifyReport['tables'] = [];
        const differences: RowDifference[] = [];
        for (const model of allReadModels) {
          const [live, rebuilt] = await Promise.all([rowsOf(trx, liveSchema, model), rowsOf(db, scratch, model)]);
          const diffs = diffRows(model.name, live, rebuilt);
          tables.push({ table: model.name, liveRows: live.size, rebuiltRows: rebuilt.size, differences: diffs.length });
          differences.push(...diffs.slice(0, MAX_REPORTED - differences.length));
        }
        const brokenLinks = chain.broken();
        return {
          // An undecodable message is reported, but it is not a mismatch: the live projector skipped
          // it too (dead letter), and the read models are compared without it.
          ok: tables.every((t) => t.differences === 0) && brokenLinks.length === 0 && matches,
          commits,
          undecodable: undecodable.sort((a, b) => a.seq - b.seq),
          checkpoints: checkpoints.map(({ projection, partition, seq }) => ({ projection, partition, seq })),
          tables,
          differences,
          chain: { subjects: chain.subjects, brokenLinks },
          stream: { current: identity.key, builtFrom, matches, ...(matches ? {} : { hint: RESET_HINT }) },
        };
      });
  } finally {
    await sql`drop schema if exists ${sql.id(scratch)} cascade`.execute(db);
  }
}

async function rowsOf(
  db: Kysely<ReadModelTables> | Transaction<ReadModelTables>,
  schema: string,
  model: AnyReadModel,
): Promise<Map<string, Record<string, unknown>>> {
  const rows = (await db.withSchema(schema).selectFrom(model.name).selectAll().execute()) as Record<string, unknown>[];
  return new Map(rows.map((r) => [model.keyOf(r), r]));
}

function diffRows(
  table: string,
  live: Map<string, Record<string, unknown>>,
  rebuilt: Map<string, Record<string, unknown>>,
): RowDifference[] {
  const out: RowDifference[] = [];
  for (const [key, want] of rebuilt) {
    const got = live.get(key);
    if (!got) {
      out.push({ table, key, kind: 'missing' });
      continue;
    }
    const columns = Object.keys(want)
      .filter((c) => JSON.stringify(got[c]) !== JSON.stringify(want[c]))
      .map((column) => ({ column, live: got[column], rebuilt: want[column] }));
    if (columns.length > 0) out.push({ table, key, kind: 'changed', columns });
  }
  for (const key of live.keys()) if (!rebuilt.has(key)) out.push({ table, key, kind: 'unexpected' });
  return out;
}

/** Recomputes each aggregate's hash chain as commits stream past, in sequence order per subject. */
class ChainChecker {
  private readonly last = new Map<string, { seq: number; hash: string }>();
  private readonly brokenBySubject = new Map<string, BrokenLink>();

  get subjects(): number {
    return this.last.size;
  }

  check(commit: StoredCommit): void {
    const { subject } = commit;
    const previous = this.last.get(subject);
    const expectedPrev = previous?.hash ?? null;
    let reason: string | null = null;
    if (commit.prevHash !== expectedPrev) {
      reason = previous
        ? `prevHash does not match the hash of commit ${previous.seq}`
        : 'the first commit of the aggregate names a previous hash';
    } else if (commitHash(commit.prevHash, commit.envelopes) !== commit.hash) {
      reason = 'the content does not match its hash (altered after it was written)';
    }
    if (reason && !this.brokenBySubject.has(subject)) this.brokenBySubject.set(subject, { subject, seq: commit.seq, reason });
    this.last.set(subject, { seq: commit.seq, hash: commit.hash });
  }

  broken(): BrokenLink[] {
    return [...this.brokenBySubject.values()].sort((a, b) => a.seq - b.seq);
  }
}
