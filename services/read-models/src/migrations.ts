// Read-model tables, created by kysely's migrator into any schema: the live one, a scratch schema
// for `blotter verify`, or a shadow schema for a blue/green `blotter rebuild`.
import { type Kysely, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';

function migrations(schema: string): Record<string, Migration> {
  return {
    '2026-11-24-001-read-models': {
      async up(db: Kysely<unknown>) {
        const s = db.schema.withSchema(schema);
        await s
          .createTable('orders')
          .addColumn('order_id', 'uuid', (c) => c.primaryKey())
          .addColumn('user_id', 'uuid', (c) => c.notNull())
          .addColumn('client_order_id', 'text')
          .addColumn('symbol', 'text', (c) => c.notNull())
          .addColumn('base_asset', 'text', (c) => c.notNull())
          .addColumn('quote_asset', 'text', (c) => c.notNull())
          .addColumn('side', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('time_in_force', 'text')
          .addColumn('quantity', 'numeric', (c) => c.notNull())
          .addColumn('price', 'numeric')
          .addColumn('stop_price', 'numeric')
          .addColumn('venue', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('filled_quantity', 'numeric', (c) => c.notNull())
          .addColumn('cumulative_quote', 'numeric', (c) => c.notNull())
          .addColumn('fee', 'numeric', (c) => c.notNull())
          .addColumn('fee_asset', 'text')
          .addColumn('reserved_asset', 'text', (c) => c.notNull())
          .addColumn('reserved_initial', 'numeric', (c) => c.notNull())
          .addColumn('reserved_remaining', 'numeric', (c) => c.notNull())
          .addColumn('venue_order_id', 'text')
          .addColumn('reason', 'text')
          .addColumn('trade_ids', sql`text[]`, (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull())
          .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
          .addColumn('version', 'bigint', (c) => c.notNull())
          .execute();
        await s.createIndex('orders_by_user_time').on('orders').columns(['user_id', 'created_at desc', 'order_id desc']).execute();
        await s
          .createIndex('orders_open_by_user')
          .on('orders')
          .columns(['user_id', 'symbol'])
          .where(sql.ref('status'), 'in', ['PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL'])
          .execute();

        await s
          .createTable('trades')
          .addColumn('trade_key', 'text', (c) => c.primaryKey())
          .addColumn('trade_id', 'text', (c) => c.notNull())
          .addColumn('order_id', 'uuid', (c) => c.notNull())
          .addColumn('user_id', 'uuid', (c) => c.notNull())
          .addColumn('symbol', 'text', (c) => c.notNull())
          .addColumn('side', 'text', (c) => c.notNull())
          .addColumn('price', 'numeric', (c) => c.notNull())
          .addColumn('quantity', 'numeric', (c) => c.notNull())
          .addColumn('quote_quantity', 'numeric', (c) => c.notNull())
          .addColumn('fee', 'numeric', (c) => c.notNull())
          .addColumn('fee_asset', 'text', (c) => c.notNull())
          .addColumn('at', 'timestamptz', (c) => c.notNull())
          .addColumn('version', 'bigint', (c) => c.notNull())
          .execute();
        await s.createIndex('trades_by_user_time').on('trades').columns(['user_id', 'at desc', 'trade_key']).execute();

        await s
          .createTable('balances')
          .addColumn('user_id', 'uuid', (c) => c.notNull())
          .addColumn('asset', 'text', (c) => c.notNull())
          .addColumn('free', 'numeric', (c) => c.notNull())
          .addColumn('locked', 'numeric', (c) => c.notNull())
          .addColumn('version', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('balances_pk', ['user_id', 'asset'])
          .execute();

        await s
          .createTable('positions')
          .addColumn('user_id', 'uuid', (c) => c.notNull())
          .addColumn('symbol', 'text', (c) => c.notNull())
          .addColumn('quantity', 'numeric', (c) => c.notNull())
          .addColumn('avg_entry_price', 'numeric', (c) => c.notNull())
          .addColumn('realized_pnl', 'numeric', (c) => c.notNull())
          .addColumn('fees', 'numeric', (c) => c.notNull())
          .addColumn('version', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('positions_pk', ['user_id', 'symbol'])
          .execute();

        await s
          .createTable('projection_checkpoints')
          .addColumn('projection', 'text', (c) => c.notNull())
          .addColumn('partition', 'integer', (c) => c.notNull())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
          .addPrimaryKeyConstraint('projection_checkpoints_pk', ['projection', 'partition'])
          .execute();

        await s
          .createTable('channel_versions')
          .addColumn('user_id', 'uuid', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('version', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('channel_versions_pk', ['user_id', 'channel'])
          .execute();
      },
    },
    // Which stream the checkpoints' sequences belong to (stream-identity.ts). Null on existing rows:
    // the projector stamps them at its next start, or refuses when they cannot be this stream's.
    '2026-12-07-002-checkpoint-stream': {
      async up(db: Kysely<unknown>) {
        await db.schema.withSchema(schema).alterTable('projection_checkpoints').addColumn('stream', 'text').execute();
      },
    },
  };
}

/** Creates the schema if needed and applies every pending migration to it. */
export async function migrateReadModels(db: Kysely<unknown>, schema = 'public'): Promise<void> {
  await db.schema.createSchema(schema).ifNotExists().execute();
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(schema) },
    migrationTableSchema: schema,
    migrationTableName: 'read_model_migrations',
    migrationLockTableName: 'read_model_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`read-model migration ${failed?.migrationName ?? ''} failed in schema ${schema}`, { cause: error });
}
