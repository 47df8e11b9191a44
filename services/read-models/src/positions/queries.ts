import { unrealizedPnl } from '@blotter/orders';
import type { Position } from '@blotter/schemas';
import type { Kysely } from 'kysely';
import type { ReadModelTables } from '../db.ts';
import type { PositionsTable } from './table.ts';

/** A stored position with the reader's latest mark price and the unrealized PnL at that price. */
export function withMark(row: Omit<PositionsTable, never>, markPrice: string | null): Position {
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

export async function listPositions(db: Kysely<ReadModelTables>, schema: string, userId: string): Promise<PositionsTable[]> {
  return db.withSchema(schema).selectFrom('positions').selectAll().where('userId', '=', userId).orderBy('symbol').execute();
}
