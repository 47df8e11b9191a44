// Where the benchmarks run: the NATS and Postgres that `make up` resolved, a namespace (own streams)
// or a database per benchmark, always removed afterwards.
import type { EventStore, StreamOptions } from '@blotter/eventstore';
import { deleteNamespace, infraEnv, openTestStore, withAdminClient } from '@blotter/test-kit';
import { createDb, migrateReadModels } from '@blotter/read-models';
import type { NatsConnection } from 'nats';
import type pg from 'pg';

export { infraEnv };

/**
 * What must be removed if the scenario's process is stopped (Ctrl-C, or `kill` of a stuck run):
 * run-scenario.ts runs these on SIGINT/SIGTERM, since a signal skips every `finally`.
 */
const cleanups = new Set<() => Promise<void>>();

export function onInterrupt(fn: () => Promise<void>): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Runs every registered cleanup (newest first), each at most once. */
export async function cleanUpAll(): Promise<void> {
  const fns = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of fns) await fn().catch(() => {});
}

export const benchName = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 8)}`;

const admin = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => withAdminClient(infraEnv('DATABASE_URL'), fn);

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database `bench_<prefix><random>` on the Postgres server of DATABASE_URL. */
export async function createDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `bench_${benchName(prefix)}`;
  await admin((c) => c.query(`create database ${name}`));
  const u = new URL(infraEnv('DATABASE_URL'));
  u.pathname = `/${name}`;
  const drop = () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {});
  const forget = onInterrupt(drop);
  return {
    name,
    url: u.toString(),
    drop: async () => {
      forget();
      await drop();
    },
  };
}

/** A fresh database with the read-model tables in `public`, and a kysely handle on it. */
export async function createReadModelDatabase(prefix: string, poolSize = 5) {
  const database = await createDatabase(prefix);
  const db = createDb(database.url, { max: poolSize, name: 'bench' });
  await migrateReadModels(db);
  return {
    ...database,
    db,
    drop: async () => {
      await db.destroy();
      await database.drop();
    },
  };
}

export interface BenchStore {
  nc: NatsConnection;
  store: EventStore;
  namespace: string;
  close(): Promise<void>;
}

/** Blotter's own streams under a fresh namespace; `close` deletes them. */
export async function openBenchStore(prefix: string, overrides: Partial<StreamOptions> = {}): Promise<BenchStore> {
  const opened = await openTestStore({ ...overrides, namespace: benchName(prefix) });
  const forget = onInterrupt(async () => void (await deleteNamespace(opened.nc, opened.namespace)));
  return {
    ...opened,
    close: async () => {
      forget();
      await opened.close();
    },
  };
}
