// Postgres: one pool for the read models and the accounts tables (same database), migrated at
// start, closed with the app.
import { type AccountTables, migrateAccounts } from '@blotter/accounts';
import { createDbPair, migrateReadModels, type ReadModelTables } from '@blotter/read-models';
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
    const {
      first: db,
      second: accounts,
      destroy,
    } = createDbPair<ReadModelTables, AccountTables>(url, { name: 'blotter-gateway', max: 20 });
    await migrateAccounts(accounts);
    await migrateReadModels(db, schema);
    app.decorate('db', db);
    app.decorate('accounts', accounts);
    app.decorate('readSchema', schema);
    app.addHook('onClose', destroy);
  },
  { name: 'db' },
);
