// A fresh Postgres database per test file on the server of DATABASE_URL, migrated, dropped afterwards.
import { type AccountTables, migrateAccounts } from '@blotter/accounts';
import { createDbPair, migrateReadModels, type ReadModelTables } from '@blotter/read-models';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { infraEnv } from './infra.ts';

export interface TestDatabase {
  url: string;
  name: string;
  db: Kysely<ReadModelTables>;
  /** The same pool, typed for the accounts tables. */
  accounts: Kysely<AccountTables>;
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

/**
 * Creates `blotter_t_<random>` on the server of DATABASE_URL and drops it on `drop()`. Read models
 * are migrated unless `migrate: false`; `accounts: true` migrates the accounts tables too, once
 * here, rather than raced by several gateway processes.
 */
export async function createTestDatabase(options: { migrate?: boolean; accounts?: boolean } = {}): Promise<TestDatabase> {
  const base = infraEnv('DATABASE_URL');
  const name = `blotter_t_${Math.random().toString(36).slice(2, 10)}`;
  await withAdminClient(base, (c) => c.query(`create database ${name}`));
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pair = createDbPair<ReadModelTables, AccountTables>(url, { max: 5, name: 'test' });
  const db = pair.first;
  if (options.migrate !== false) await migrateReadModels(db as Kysely<unknown>);
  if (options.accounts) await migrateAccounts(db as Kysely<unknown>);
  return {
    url,
    name,
    db,
    accounts: pair.second,
    drop: async () => {
      await pair.destroy();
      await withAdminClient(base, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
