// What the Positions tab shows: the projection's row, marked to the live ticker.
import { dec, str } from '@blotter/orders/money';
import type { PositionRow } from '../live/channels.ts';

export interface PositionView {
  symbol: string;
  quantity: string;
  avgEntryPrice: string;
  markPrice: string | null;
  realizedPnl: string;
  unrealizedPnl: string | null;
  /** The fees as charged, per commission asset (absent from rows written before fees were per asset). */
  feesByAsset: { asset: string; amount: string }[];
}

/**
 * unrealized = (mark − avgEntryPrice) × quantity, with the live ticker's price as the mark when
 * there is one, else the mark the snapshot carried; null when no price is known at all.
 */
export function markPosition(row: PositionRow, tickerPrice: string | null): PositionView {
  const markPrice = tickerPrice ?? row.markPrice ?? null;
  const unrealizedPnl = markPrice === null ? null : str(dec(markPrice).minus(row.avgEntryPrice).times(row.quantity));
  return {
    symbol: row.symbol,
    quantity: row.quantity,
    avgEntryPrice: row.avgEntryPrice,
    markPrice,
    realizedPnl: row.realizedPnl,
    unrealizedPnl,
    feesByAsset: row.feesByAsset ?? [],
  };
}

/** Positions worth a row: open ones, and closed ones that still carry realized PnL. */
export function visiblePositions(rows: readonly PositionRow[]): PositionRow[] {
  return rows.filter((p) => !dec(p.quantity).eq(0) || !dec(p.realizedPnl).eq(0));
}
