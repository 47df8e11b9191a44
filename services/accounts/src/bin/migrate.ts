// Applies the accounts migrations to DATABASE_URL (make dev runs it before the services start).
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateAccounts } from '../migrations.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
const db = new Kysely<unknown>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
  plugins: [new CamelCasePlugin()],
});
await migrateAccounts(db);
await db.destroy();
console.error('[migrate] accounts up to date');
