import type { Kysely } from 'kysely';
import type { AnyReadModel, ReadModelTables } from '../src/index.ts';

/** Every row of a read model's table, keyed like the model keys them. */
export async function tableRows(db: Kysely<ReadModelTables>, model: AnyReadModel): Promise<Record<string, unknown>> {
  const rows = await db.selectFrom(model.name).selectAll().execute();
  return Object.fromEntries(rows.map((r) => [model.keyOf(r), r]));
}
