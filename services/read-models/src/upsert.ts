// A batch upsert: one INSERT ... ON CONFLICT DO UPDATE for all the rows a batch changed. Rows were
// folded in memory first, so each key appears once and the statement writes each row once.
import { type Transaction, sql } from 'kysely';
import type { ReadModelTables } from './db.ts';

type TableName = keyof ReadModelTables;

export async function upsertRows<T extends TableName>(
  trx: Transaction<ReadModelTables>,
  schema: string,
  table: T,
  rows: readonly ReadModelTables[T][],
  conflict: readonly (keyof ReadModelTables[T] & string)[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first).filter((c) => !conflict.includes(c as keyof ReadModelTables[T] & string));
  // Postgres caps a statement at 65535 parameters; stay well below it.
  const chunk = Math.max(1, Math.floor(30_000 / Object.keys(first).length));
  for (let i = 0; i < rows.length; i += chunk) {
    await trx
      .withSchema(schema)
      .insertInto(table)
      // biome-ignore lint/suspicious/noExplicitAny: rows are the table's own row type; kysely cannot relate a generic table to its insert type
      .values(rows.slice(i, i + chunk) as any)
      .onConflict((oc) =>
        oc.columns(conflict as never).doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${snake(c)}`)])) as never),
      )
      .execute();
  }
}

const snake = (s: string) => s.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
