// The trades read model: one row per execution, written once.
import type { Trade } from '@blotter/schemas';
import type { ReadModel } from '../read-model.ts';
import { upsertRows } from '../upsert.ts';
import type { TradesTable } from './table.ts';

export const tradeView = ({ tradeKey: _key, ...trade }: TradesTable): Trade => trade;

export const tradesModel: ReadModel<TradesTable> = {
  name: 'trades',
  keysOf: (e) => (e.type === 'OrderFilled' ? [`${e.data.orderId}:${e.data.tradeId}`] : []),
  apply(row, e, key) {
    if (e.type !== 'OrderFilled') throw new Error(`trades cannot apply ${e.type}`);
    // A trade never changes once booked; the runner's checkpoint guarantees it is applied once.
    if (row) return row;
    const d = e.data;
    return {
      tradeKey: key,
      tradeId: d.tradeId,
      orderId: d.orderId,
      userId: e.userId,
      symbol: d.symbol,
      side: d.side,
      price: d.price,
      quantity: d.quantity,
      quoteQuantity: d.quoteQuantity,
      fee: d.fee,
      feeAsset: d.feeAsset,
      at: d.filledAt,
      version: e.seq,
    };
  },
  async load(trx, schema, keys) {
    const rows = await trx.withSchema(schema).selectFrom('trades').selectAll().where('tradeKey', 'in', keys).execute();
    return new Map(rows.map((r) => [r.tradeKey, r]));
  },
  save: (trx, schema, rows) => upsertRows(trx, schema, 'trades', rows, ['tradeKey']),
  keyOf: (r) => r.tradeKey,
  userOf: (r) => r.userId,
  versionOf: (r) => r.version,
  view: tradeView,
};
