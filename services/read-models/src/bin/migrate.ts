// `pnpm --filter @blotter/read-models migrate`: applies read-model migrations to DATABASE_URL.
import { createDb } from '../db.ts';
import { migrateReadModels } from '../migrations.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
const db = createDb(url, { max: 1, name: 'blotter-migrate' });
await migrateReadModels(db, process.env.READ_MODEL_SCHEMA ?? 'public');
await db.destroy();
console.error('[migrate] read models up to date');
