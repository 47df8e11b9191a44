// Reads of the orders read model.
import { type ExistingOrder, toOrderView } from '@blotter/orders';
import { CLOSED_STATUSES, OPEN_STATUSES, type Order } from '@blotter/schemas';
import type { Kysely } from 'kysely';
import type { ReadModelTables } from '../db.ts';

export interface OrderFilter {
  userId?: string;
  status?: 'open' | 'closed' | 'all';
  symbol?: string;
  limit?: number;
  /** Cursor: orders created before this order. */
  before?: string;
}

export async function listOrders(db: Kysely<ReadModelTables>, schema: string, f: OrderFilter): Promise<Order[]> {
  let q = db.withSchema(schema).selectFrom('orders').selectAll();
  if (f.userId) q = q.where('userId', '=', f.userId);
  if (f.status === 'open') q = q.where('status', 'in', [...OPEN_STATUSES]);
  if (f.status === 'closed') q = q.where('status', 'in', [...CLOSED_STATUSES]);
  if (f.symbol) q = q.where('symbol', '=', f.symbol);
  if (f.before) {
    // The cursor must be one of the caller's own orders: otherwise its creation time would leak.
    let c = db.withSchema(schema).selectFrom('orders').select(['createdAt', 'orderId']).where('orderId', '=', f.before);
    if (f.userId) c = c.where('userId', '=', f.userId);
    const cursor = await c.executeTakeFirst();
    if (!cursor) return [];
    q = q.where((eb) =>
      eb.or([eb('createdAt', '<', cursor.createdAt), eb.and([eb('createdAt', '=', cursor.createdAt), eb('orderId', '<', cursor.orderId)])]),
    );
  }
  const rows = await q
    .orderBy('createdAt', 'desc')
    .orderBy('orderId', 'desc')
    .limit(f.limit ?? 100)
    .execute();
  return rows.map(toOrderView);
}

export async function getOrderRow(db: Kysely<ReadModelTables>, schema: string, orderId: string): Promise<ExistingOrder | undefined> {
  return db.withSchema(schema).selectFrom('orders').selectAll().where('orderId', '=', orderId).executeTakeFirst();
}
