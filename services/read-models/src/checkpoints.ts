// Checkpoints and channel versions: written in the same transaction as the read-model rows they
// describe, which is what makes a redelivered message harmless (its sequence is at or below the
// checkpoint, so it is skipped) and a crash between commit and ack cost nothing.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ReadModelTables } from './db.ts';
import { upsertRows } from './upsert.ts';

export interface CheckpointsTable {
  projection: string;
  partition: number;
  /** Last stream sequence applied. */
  seq: number;
  updatedAt: string;
}

/** The stream position of the last change to one user's rows of one channel (WebSocket versions). */
export interface ChannelVersionsTable {
  userId: string;
  channel: string;
  version: number;
}

type Tx = Transaction<ReadModelTables>;
type Db = Kysely<ReadModelTables>;

/** Creates missing checkpoint rows at 0 so they can be locked. */
export async function ensureCheckpoints(db: Db, schema: string, projections: readonly string[], partition: number): Promise<void> {
  await db
    .withSchema(schema)
    .insertInto('projectionCheckpoints')
    .values(projections.map((projection) => ({ projection, partition, seq: 0, updatedAt: new Date().toISOString() })))
    .onConflict((oc) => oc.columns(['projection', 'partition']).doNothing())
    .execute();
}

/**
 * Reads and row-locks the checkpoints of one partition: a second runner on the same partition
 * (during a lease handover) waits here instead of applying the same batch twice.
 */
export async function lockCheckpoints(
  trx: Tx,
  schema: string,
  projections: readonly string[],
  partition: number,
): Promise<Map<string, number>> {
  const rows = await trx
    .withSchema(schema)
    .selectFrom('projectionCheckpoints')
    .select(['projection', 'seq'])
    .where('partition', '=', partition)
    .where('projection', 'in', projections)
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.projection, r.seq]));
}

/** Moves every given checkpoint forward (never back), in one statement. */
export async function saveCheckpoints(trx: Tx, schema: string, partition: number, checkpoints: ReadonlyMap<string, number>): Promise<void> {
  if (checkpoints.size === 0) return;
  const table = sql.table(`${schema}.projection_checkpoints`);
  await sql`update ${table} c set seq = v.seq, updated_at = ${new Date().toISOString()}
    from unnest(${[...checkpoints.keys()]}::text[], ${[...checkpoints.values()]}::bigint[]) as v(projection, seq)
    where c.projection = v.projection and c.partition = ${partition} and c.seq < v.seq`.execute(trx);
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
