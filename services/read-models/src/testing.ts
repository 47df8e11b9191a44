// Test support: a fresh Postgres database per test file (dropped afterwards), migrated.
import { infraEnv } from '@blotter/eventstore/testing';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createDb, type ReadModelTables } from './db.ts';
import { migrateReadModels } from './migrations.ts';

export interface TestDatabase {
  url: string;
  name: string;
  db: Kysely<ReadModelTables>;
  drop(): Promise<void>;
}

/** Runs `fn` with a client on the `postgres` maintenance database of `url`'s server (create, drop, alter database). */
export async function withAdminClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const u = new URL(url);
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates `blotter_t_<random>` on the server of DATABASE_URL, migrates it, and drops it on `drop()`. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const base = infraEnv('DATABASE_URL');
  const name = `blotter_t_${Math.random().toString(36).slice(2, 10)}`;
  await withAdminClient(base, (c) => c.query(`create database ${name}`));
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url, { max: 5, name: 'test' });
  if (options.migrate !== false) await migrateReadModels(db as Kysely<unknown>);
  return {
    url,
    name,
    db,
    drop: async () => {
      await db.destroy();
      await withAdminClient(base, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
