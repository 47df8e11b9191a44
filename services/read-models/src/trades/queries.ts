import type { Trade } from '@blotter/schemas';
import type { Kysely } from 'kysely';
import type { ReadModelTables } from '../db.ts';
import { tradeView } from './projection.ts';

export async function listTrades(
  db: Kysely<ReadModelTables>,
  schema: string,
  f: { userId?: string; symbol?: string; orderId?: string; limit?: number },
): Promise<Trade[]> {
  let q = db.withSchema(schema).selectFrom('trades').selectAll();
  if (f.userId) q = q.where('userId', '=', f.userId);
  if (f.symbol) q = q.where('symbol', '=', f.symbol);
  if (f.orderId) q = q.where('orderId', '=', f.orderId);
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('tradeKey', 'desc')
    .limit(f.limit ?? 100)
    .execute();
  return rows.map(tradeView);
}
