// Checkpoints and channel versions: written in the same transaction as the read-model rows they
// describe, which is what makes a redelivered message harmless (its sequence is at or below the
// checkpoint, so it is skipped) and a crash between commit and ack cost nothing. Each row also names
// the stream its sequence belongs to (stream-identity.ts): every batch checks it under the same row
// lock, so read models are never advanced with another stream's sequences.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ReadModelTables } from './db.ts';
import { type StreamIdentity, StreamMismatchError } from './stream-identity.ts';
import { upsertRows } from './upsert.ts';

import type { ChannelVersionsTable, CheckpointsTable } from './checkpoint-tables.ts';

export type { ChannelVersionsTable, CheckpointsTable };

type Tx = Transaction<ReadModelTables>;
type Db = Kysely<ReadModelTables>;

/** Creates missing checkpoint rows at 0 (of `stream`, when given) so they can be locked. */
export async function ensureCheckpoints(
  db: Db,
  schema: string,
  projections: readonly string[],
  partition: number,
  stream: string | null = null,
): Promise<void> {
  await db
    .withSchema(schema)
    .insertInto('projectionCheckpoints')
    .values(projections.map((projection) => ({ projection, partition, seq: 0, stream, updatedAt: new Date().toISOString() })))
    .onConflict((oc) => oc.columns(['projection', 'partition']).doNothing())
    .execute();
}

/**
 * Reads and row-locks the checkpoints of one partition: a second runner on the same partition
 * (during a lease handover) waits here instead of applying the same batch twice. Given the stream
 * the caller reads, a row of another stream throws StreamMismatchError (the read models were reset
 * from another stream while this process ran).
 */
export async function lockCheckpoints(
  trx: Tx,
  schema: string,
  projections: readonly string[],
  partition: number,
  stream: string | null = null,
): Promise<Map<string, number>> {
  const rows = await trx
    .withSchema(schema)
    .selectFrom('projectionCheckpoints')
    .select(['projection', 'seq', 'stream'])
    .where('partition', '=', partition)
    .where('projection', 'in', projections)
    .forUpdate()
    .execute();
  const foreign = stream === null ? undefined : rows.find((r) => r.stream !== null && r.stream !== stream);
  if (foreign?.stream && stream) throw new StreamMismatchError(schema, foreign.stream, stream);
  return new Map(rows.map((r) => [r.projection, r.seq]));
}

/** Moves every given checkpoint forward (never back), in one statement; stamps `stream` when given. */
export async function saveCheckpoints(
  trx: Tx,
  schema: string,
  partition: number,
  checkpoints: ReadonlyMap<string, number>,
  stream: string | null = null,
): Promise<void> {
  if (checkpoints.size === 0) return;
  const table = sql.table(`${schema}.projection_checkpoints`);
  await sql`update ${table} c set seq = v.seq, updated_at = ${new Date().toISOString()}, stream = coalesce(${stream}::text, c.stream)
    from unnest(${[...checkpoints.keys()]}::text[], ${[...checkpoints.values()]}::bigint[]) as v(projection, seq)
    where c.projection = v.projection and c.partition = ${partition} and c.seq < v.seq`.execute(trx);
}

/**
 * At start, before a runner reads anything: refuses read models built from another stream, and
 * stamps rows that predate the recorded identity (null) with this stream, unless a sequence lies
 * beyond this stream's end, which proves it was numbered by another one.
 */
export async function claimCheckpoints(db: Db, schema: string, identity: StreamIdentity): Promise<void> {
  const rows = await readCheckpoints(db, schema);
  const foreign = rows.find((r) => r.stream !== null && r.stream !== identity.key);
  if (foreign?.stream) throw new StreamMismatchError(schema, foreign.stream, identity.key);
  const beyond = rows.find((r) => r.stream === null && r.seq > identity.lastSeq);
  if (beyond)
    throw new StreamMismatchError(
      schema,
      `an earlier stream (checkpoint ${beyond.projection}/p${beyond.partition} at ${beyond.seq}, past this stream's last sequence ${identity.lastSeq})`,
      identity.key,
    );
  await db.withSchema(schema).updateTable('projectionCheckpoints').set({ stream: identity.key }).where('stream', 'is', null).execute();
}

export async function readCheckpoints(db: Db, schema: string): Promise<CheckpointsTable[]> {
  return db.withSchema(schema).selectFrom('projectionCheckpoints').selectAll().orderBy('projection').orderBy('partition').execute();
}

export const channelKey = (userId: string, channel: string) => `${userId}|${channel}`;

export async function loadChannelVersions(trx: Tx, schema: string, userIds: readonly string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await trx.withSchema(schema).selectFrom('channelVersions').selectAll().where('userId', 'in', userIds).forUpdate().execute();
  return new Map(rows.map((r) => [channelKey(r.userId, r.channel), r.version]));
}

export async function saveChannelVersions(trx: Tx, schema: string, rows: ChannelVersionsTable[]): Promise<void> {
  await upsertRows(trx, schema, 'channelVersions', rows, ['userId', 'channel']);
}

/** A user's version of one channel outside a transaction (REST responses, WebSocket snapshots). */
export async function channelVersion(db: Db | Tx, schema: string, userId: string, channel: string): Promise<number> {
  const row = await db
    .withSchema(schema)
    .selectFrom('channelVersions')
    .select('version')
    .where('userId', '=', userId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return row?.version ?? 0;
}
