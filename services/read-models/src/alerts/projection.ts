// The alerts read model: one row per alert, evolved by the same function the alert decider's
// aggregate uses, so the list a trader sees and what the evaluator decides on cannot disagree.
import { evolveAlert } from '@blotter/orders';
import { type Alert, isAlertEvent } from '@blotter/schemas';
import type { ReadModel } from '../read-model.ts';
import { upsertRows } from '../upsert.ts';

/** The row as readers see it: the columns in the contract's order (a Postgres row has its own). */
export const toAlertView = (r: Alert): Alert => ({
  alertId: r.alertId,
  userId: r.userId,
  symbol: r.symbol,
  condition: r.condition,
  price: r.price,
  note: r.note,
  status: r.status,
  createdAt: r.createdAt,
  triggeredAt: r.triggeredAt,
  triggerPrice: r.triggerPrice,
  version: r.version,
});

export const alertsModel: ReadModel<Alert> = {
  name: 'alerts',
  keysOf: (e) => (isAlertEvent(e) ? [e.data.alertId] : []),
  apply(row, event) {
    const next = evolveAlert(row, event, event);
    if (!next) throw new Error(`${event.type} for alert ${event.aggregateId} that was never set`);
    return next;
  },
  async load(trx, schema, keys) {
    const rows = await trx.withSchema(schema).selectFrom('alerts').selectAll().where('alertId', 'in', keys).execute();
    return new Map(rows.map((r) => [r.alertId, r]));
  },
  save: (trx, schema, rows) => upsertRows(trx, schema, 'alerts', rows, ['alertId']),
  keyOf: (r) => r.alertId,
  userOf: (r) => r.userId,
  versionOf: (r) => r.version,
  view: toAlertView,
};
