import { type Kysely, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';

const migrations: Record<string, Migration> = {
  '2026-11-24-001-accounts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('roles', sql`text[]`, (c) => c.notNull())
        .addColumn('venue', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('venue_credentials')
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('venue', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('iv', 'bytea', (c) => c.notNull())
        .addColumn('ciphertext', 'bytea', (c) => c.notNull())
        .addColumn('tag', 'bytea', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('venue_credentials_pk', ['user_id', 'venue'])
        .execute();
    },
  },
};

export async function migrateAccounts<DB>(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'account_migrations',
    migrationLockTableName: 'account_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`accounts migration ${failed?.migrationName ?? ''} failed`, { cause: error });
}
