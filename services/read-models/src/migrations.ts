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
        // OPEN_STATUSES as this migration wrote them, spelled out: an applied migration never
        // changes, so another set of open statuses takes a new migration (and a new index).
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
    '2026-11-25-002-fees-per-asset': {
      // Orders keep every commission asset (fees) and their value in the quote asset (fee), where
      // one asset used to be kept and a fee in a second one dropped; positions list their fees per
      // asset. Existing rows are filled from the trades table, exactly as a rebuild from the events
      // would fill them (a fee in a third asset recorded before rates were has no quote value).
      async up(db: Kysely<unknown>) {
        const t = (name: string) => sql.table(`${schema}.${name}`);
        await sql`alter table ${t('orders')} add column fees jsonb not null default '[]'::jsonb`.execute(db);
        await sql`alter table ${t('positions')} add column fees_by_asset jsonb not null default '[]'::jsonb`.execute(db);
        await sql`
          with per_asset as (
            select order_id, fee_asset, trim_scale(sum(fee)) as amount from ${t('trades')}
            group by order_id, fee_asset having sum(fee) > 0
          ), listed as (
            select order_id, jsonb_agg(jsonb_build_object('asset', fee_asset, 'amount', amount::text) order by fee_asset collate "C") as fees
            from per_asset group by order_id
          ), valued as (
            select tr.order_id,
              trim_scale(sum(case when tr.fee_asset = o.quote_asset then tr.fee when tr.fee_asset = o.base_asset then tr.fee * tr.price else 0 end)) as fee
            from ${t('trades')} tr join ${t('orders')} o on o.order_id = tr.order_id group by tr.order_id
          )
          update ${t('orders')} o set fees = coalesce(l.fees, '[]'::jsonb), fee = v.fee
          from valued v left join listed l on l.order_id = v.order_id
          where o.order_id = v.order_id`.execute(db);
        await sql`
          with per_asset as (
            select user_id, symbol, fee_asset, trim_scale(sum(fee)) as amount from ${t('trades')}
            group by user_id, symbol, fee_asset having sum(fee) > 0
          ), listed as (
            select user_id, symbol,
              jsonb_agg(jsonb_build_object('asset', fee_asset, 'amount', amount::text) order by fee_asset collate "C") as fees
            from per_asset group by user_id, symbol
          )
          update ${t('positions')} p set fees_by_asset = l.fees from listed l
          where p.user_id = l.user_id and p.symbol = l.symbol`.execute(db);
        await sql`alter table ${t('orders')} drop column fee_asset`.execute(db);
      },
    },
    // Which stream the checkpoints' sequences belong to (stream-identity.ts). Null on existing rows:
    // the projector stamps them at its next start, or refuses when they cannot be this stream's.
    '2026-12-07-003-checkpoint-stream': {
      async up(db: Kysely<unknown>) {
        await db.schema.withSchema(schema).alterTable('projection_checkpoints').addColumn('stream', 'text').execute();
      },
    },
    // Price alerts (API.md "Price alerts"): one row per alert, projected from the alert events.
    '2026-12-07-004-alerts': {
      async up(db: Kysely<unknown>) {
        const s = db.schema.withSchema(schema);
        await s
          .createTable('alerts')
          .addColumn('alert_id', 'uuid', (c) => c.primaryKey())
          .addColumn('user_id', 'uuid', (c) => c.notNull())
          .addColumn('symbol', 'text', (c) => c.notNull())
          .addColumn('condition', 'text', (c) => c.notNull())
          .addColumn('price', 'numeric', (c) => c.notNull())
          .addColumn('note', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull())
          .addColumn('triggered_at', 'timestamptz')
          .addColumn('trigger_price', 'numeric')
          .addColumn('version', 'bigint', (c) => c.notNull())
          .execute();
        await s.createIndex('alerts_by_user_time').on('alerts').columns(['user_id', 'created_at desc', 'alert_id desc']).execute();
      },
    },
    // Positions fold their fills in the venue's order (SequencedPosition): the last fills are kept on
    // top of the position before them. An existing row's fills count as settled, as they were folded.
    '2026-12-07-005-positions-in-venue-order': {
      async up(db: Kysely<unknown>) {
        const t = sql.table(`${schema}.positions`);
        await sql`alter table ${t} add column settled jsonb, add column recent jsonb not null default '[]'::jsonb`.execute(db);
        await sql`
          update ${t} set settled = jsonb_build_object(
            'quantity', quantity::text, 'avgEntryPrice', avg_entry_price::text, 'realizedPnl', realized_pnl::text,
            'fees', fees::text, 'feesByAsset', fees_by_asset)`.execute(db);
        await sql`alter table ${t} alter column settled set not null`.execute(db);
      },
    },
  };
}

/** The migrations in the order they run; the last is the current shape. */
export const READ_MODEL_MIGRATIONS = Object.keys(migrations('public'));

/**
 * Creates the schema if needed and applies every pending migration to it (or, for a test of a
 * migration itself, those up to `target`).
 */
export async function migrateReadModels<DB>(db: Kysely<DB>, schema = 'public', target?: string): Promise<void> {
  await db.schema.createSchema(schema).ifNotExists().execute();
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(schema) },
    migrationTableSchema: schema,
    migrationTableName: 'read_model_migrations',
    migrationLockTableName: 'read_model_migrations_lock',
  });
  const { error, results } = await (target ? migrator.migrateTo(target) : migrator.migrateToLatest());
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`read-model migration ${failed?.migrationName ?? ''} failed in schema ${schema}`, { cause: error });
}
