import type { Kysely } from 'kysely';
import type { ReadModelTables } from '../db.ts';
import type { BalancesTable } from './table.ts';

export async function listBalances(db: Kysely<ReadModelTables>, schema: string, userId: string): Promise<BalancesTable[]> {
  return db.withSchema(schema).selectFrom('balances').selectAll().where('userId', '=', userId).orderBy('asset').execute();
}
