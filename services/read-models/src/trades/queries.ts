import type { Trade } from '@blotter/schemas';
import type { Kysely } from 'kysely';
import type { ReadModelTables } from '../db.ts';
import { tradeView } from './projection.ts';

export async function listTrades(
  db: Kysely<ReadModelTables>,
  schema: string,
  f: { userId?: string; symbol?: string; orderId?: string; limit?: number; before?: string },
): Promise<Trade[]> {
  let q = db.withSchema(schema).selectFrom('trades').selectAll();
  if (f.userId) q = q.where('userId', '=', f.userId);
  if (f.symbol) q = q.where('symbol', '=', f.symbol);
  if (f.orderId) q = q.where('orderId', '=', f.orderId);
  if (f.before) {
    // The cursor (a trade key, `<orderId>:<tradeId>`) must be one of the caller's own trades:
    // otherwise its time would leak.
    let c = db.withSchema(schema).selectFrom('trades').select(['at', 'tradeKey']).where('tradeKey', '=', f.before);
    if (f.userId) c = c.where('userId', '=', f.userId);
    const cursor = await c.executeTakeFirst();
    if (!cursor) return [];
    q = q.where((eb) => eb.or([eb('at', '<', cursor.at), eb.and([eb('at', '=', cursor.at), eb('tradeKey', '<', cursor.tradeKey)])]));
  }
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('tradeKey', 'desc')
    .limit(f.limit ?? 100)
    .execute();
  return rows.map(tradeView);
}
