// The Postgres connection for read models. Column names are snake_case in SQL and camelCase in
// TypeScript (CamelCasePlugin), so a row maps 1:1 onto the domain state it stores.
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { AlertsTable } from './alerts/table.ts';
import type { BalancesTable } from './balances/table.ts';
import type { ChannelVersionsTable, CheckpointsTable } from './checkpoint-tables.ts';
import type { OrdersTable } from './orders/table.ts';
import type { PositionsTable } from './positions/table.ts';
import type { TradesTable } from './trades/table.ts';

export interface ReadModelTables {
  orders: OrdersTable;
  trades: TradesTable;
  balances: BalancesTable;
  positions: PositionsTable;
  alerts: AlertsTable;
  projectionCheckpoints: CheckpointsTable;
  channelVersions: ChannelVersionsTable;
}

// Stream sequences are int8: exact as JS numbers up to 2^53, far beyond any stream we will hold.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// Times leave the database as the ISO-8601 strings the contract speaks.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());
// NUMERIC stays a string (pg's default): money never becomes a float.

export function createDb<T = ReadModelTables>(connectionString: string, options: { max?: number; name?: string } = {}): Kysely<T> {
  return kyselyOn<T>(createPool(connectionString, options));
}

/**
 * The same pool typed twice: the read models and another package's tables (the accounts) in one
 * database. Two handles rather than one cast: kysely's table maps are not assignable across an
 * intersection, and each package's query functions know only their own tables. `destroy` ends the
 * shared pool once.
 */
export function createDbPair<A, B>(
  connectionString: string,
  options: { max?: number; name?: string } = {},
): { first: Kysely<A>; second: Kysely<B>; destroy(): Promise<void> } {
  const pool = createPool(connectionString, options);
  return { first: kyselyOn<A>(pool), second: kyselyOn<B>(pool), destroy: () => pool.end() };
}

const kyselyOn = <T>(pool: pg.Pool): Kysely<T> =>
  new Kysely<T>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });

function createPool(connectionString: string, options: { max?: number; name?: string }): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.name ?? 'blotter',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (Postgres restart) must not crash the process; the next
  // query gets a fresh connection and callers retry with backoff.
  // An idle client's error is reported on the pool; a checked-out client's error (its session
  // terminated mid-query) on the client itself: unhandled, either would crash the process. The
  // query in flight still fails, and callers treat that as transient (isTransientDbError).
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Connection failures and server shutdowns: worth waiting out, unlike a bad row. */
export function isTransientDbError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  return (
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin shutdown
    code === '57P02' ||
    code === '57P03' || // cannot connect now (starting up)
    code === '57P04' || // database dropped
    code === '55000' || // object not in prerequisite state: "database is not currently accepting connections"
    code === '53300' || // too many connections
    code === '40001' || // serialization failure
    code === '40P01' || // deadlock
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e?.message ?? '')
  );
}
