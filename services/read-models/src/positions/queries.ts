import { unrealizedPnl } from '@blotter/orders';
import type { Position } from '@blotter/schemas';
import type { Kysely } from 'kysely';
import type { ReadModelTables } from '../db.ts';
import type { PositionsTable } from './table.ts';

/** A position row as readers see it: the fills kept for reordering stay in the table. */
export type StoredPositionRow = Omit<PositionsTable, 'settled' | 'recent'>;

/** A stored position with the reader's latest mark price and the unrealized PnL at that price. */
export function withMark(row: StoredPositionRow, markPrice: string | null): Position {
  return {
    userId: row.userId,
    symbol: row.symbol,
    quantity: row.quantity,
    avgEntryPrice: row.avgEntryPrice,
    markPrice,
    realizedPnl: row.realizedPnl,
    unrealizedPnl: markPrice === null ? null : unrealizedPnl(row, markPrice),
    fees: row.fees,
    feesByAsset: row.feesByAsset,
    version: row.version,
  };
}

/** The user's positions as shown (the fills kept for reordering stay in the table). */
export async function listPositions(db: Kysely<ReadModelTables>, schema: string, userId: string): Promise<StoredPositionRow[]> {
  return db
    .withSchema(schema)
    .selectFrom('positions')
    .select(['userId', 'symbol', 'quantity', 'avgEntryPrice', 'realizedPnl', 'fees', 'feesByAsset', 'version'])
    .where('userId', '=', userId)
    .orderBy('symbol')
    .execute();
}
