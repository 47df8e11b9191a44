// The orders read model: the order aggregate's own state, one row per order, evolved by the same
// function the decider uses.
import { evolveOrder, type ExistingOrder, toOrderView } from '@blotter/orders';
import { isOrderEvent } from '@blotter/schemas';
import type { ReadModel } from '../read-model.ts';
import { upsertRows } from '../upsert.ts';

export const ordersModel: ReadModel<ExistingOrder> = {
  name: 'orders',
  keysOf: (e) => (isOrderEvent(e) ? [e.data.orderId] : []),
  apply(row, event) {
    const next = isOrderEvent(event) ? evolveOrder(row ?? { status: 'NONE' }, event, event) : row;
    if (!next || next.status === 'NONE') throw new Error(`${event.type} for order ${event.aggregateId} that was never placed`);
    return next;
  },
  async load(trx, schema, keys) {
    const rows = await trx.withSchema(schema).selectFrom('orders').selectAll().where('orderId', 'in', keys).execute();
    return new Map(rows.map((r) => [r.orderId, r]));
  },
  save: (trx, schema, rows) => upsertRows(trx, schema, 'orders', rows, ['orderId']),
  keyOf: (r) => r.orderId,
  userOf: (r) => r.userId,
  versionOf: (r) => r.version,
  view: toOrderView,
};
