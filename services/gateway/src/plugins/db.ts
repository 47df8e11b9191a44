// Postgres: one pool for the read models and the accounts tables (same database), migrated at
// start, closed with the app.
import { type AccountTables, migrateAccounts } from '@blotter/accounts';
import { createDb, migrateReadModels, type ReadModelTables } from '@blotter/read-models';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';

declare module 'fastify' {
  interface FastifyInstance {
    /** The read models (the query functions of @blotter/read-models take this). */
    db: Kysely<ReadModelTables>;
    /** The same pool, typed for the accounts tables. */
    accounts: Kysely<AccountTables>;
    readSchema: string;
  }
}

export default fp<{ url: string; schema: string }>(
  async (app, { url, schema }) => {
    const db = createDb<ReadModelTables & AccountTables>(url, { name: 'blotter-gateway', max: 20 });
    await migrateAccounts(db as Kysely<unknown>);
    await migrateReadModels(db as Kysely<unknown>, schema);
    // One pool, two views: kysely's table maps are not assignable across an intersection, and each
    // package's query functions only know their own tables.
    app.decorate('db', db as unknown as Kysely<ReadModelTables>);
    app.decorate('accounts', db as unknown as Kysely<AccountTables>);
    app.decorate('readSchema', schema);
    app.addHook('onClose', () => db.destroy());
  },
  { name: 'db' },
);
