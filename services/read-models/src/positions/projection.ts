// The positions read model: average-cost positions per user and symbol, folded in the venue's order
// of the trades whatever order their fills were recorded in (applyFillInVenueOrder).
import { applyFillInVenueOrder, flatSequencedPosition } from '@blotter/orders';
import type { ReadModel } from '../read-model.ts';
import { upsertRows } from '../upsert.ts';
import type { PositionsTable } from './table.ts';

const key = (userId: string, symbol: string) => `${userId}:${symbol}`;

export const positionsModel: ReadModel<PositionsTable> = {
  name: 'positions',
  keysOf: (e) => (e.type === 'OrderFilled' ? [key(e.userId, e.data.symbol)] : []),
  apply(row, e) {
    if (e.type !== 'OrderFilled') throw new Error(`positions cannot apply ${e.type}`);
    const { quantity, avgEntryPrice, realizedPnl, fees, feesByAsset, settled, recent } = row ?? flatSequencedPosition();
    const d = e.data;
    const fill = {
      tradeId: d.tradeId,
      at: d.filledAt,
      side: d.side,
      price: d.price,
      quantity: d.quantity,
      fee: d.fee,
      feeAsset: d.feeAsset,
      feeQuoteRate: d.feeQuoteRate,
      baseAsset: d.baseAsset,
      quoteAsset: d.quoteAsset,
    };
    const next = applyFillInVenueOrder({ quantity, avgEntryPrice, realizedPnl, fees, feesByAsset, settled, recent }, fill);
    return { userId: e.userId, symbol: d.symbol, ...next, version: e.seq };
  },
  async load(trx, schema, keys) {
    const users = [...new Set(keys.map((k) => k.slice(0, k.indexOf(':'))))];
    const rows = await trx.withSchema(schema).selectFrom('positions').selectAll().where('userId', 'in', users).execute();
    return new Map(rows.map((r) => [key(r.userId, r.symbol), r]));
  },
  save: (trx, schema, rows) => upsertRows(trx, schema, 'positions', rows, ['userId', 'symbol']),
  keyOf: (r) => key(r.userId, r.symbol),
  userOf: (r) => r.userId,
  versionOf: (r) => r.version,
  // Mark price and unrealized PnL are added by the reader, which knows the latest price.
  view: ({ userId, symbol, quantity, avgEntryPrice, realizedPnl, fees, feesByAsset, version }) => ({
    userId,
    symbol,
    quantity,
    avgEntryPrice,
    realizedPnl,
    fees,
    feesByAsset,
    version,
  }),
};
