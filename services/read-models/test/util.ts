import type { Kysely } from 'kysely';
import type { AnyReadModel, ReadModelTables } from '../src/index.ts';

/** Polls a condition until it holds (no fixed sleeps); fails after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every row of a read model's table, keyed like the model keys them. */
export async function tableRows(db: Kysely<ReadModelTables>, model: AnyReadModel): Promise<Record<string, unknown>> {
  const rows = await db.selectFrom(model.name).selectAll().execute();
  return Object.fromEntries(rows.map((r) => [model.keyOf(r), r]));
}
