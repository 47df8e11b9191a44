// Positions under the average-cost method.
//  - A trade in the direction of the position re-averages the entry price.
//  - A trade against it realizes (price - average) x closed quantity and leaves the average as is;
//    trading through zero opens the rest at the trade price.
//  - Every fee is valued in the quote asset at the fill's recorded rate and subtracted from realized
//    PnL: a quote fee as is, a base fee at the fill price, a third asset (BNB) at the venue's price
//    when the fill was recorded. A fee charged in the base asset also shrinks the quantity held
//    (Binance takes it from what was bought). feesByAsset keeps each fee as charged.
import type { AssetAmount } from '@blotter/schemas';
import { addFee, feeInQuote } from './fees.ts';
import { dec, minOf, str, ZERO } from './money.ts';

export interface PositionState {
  quantity: string;
  avgEntryPrice: string;
  realizedPnl: string;
  fees: string;
  feesByAsset: AssetAmount[];
}

export interface PositionFill {
  side: 'BUY' | 'SELL';
  price: string;
  quantity: string;
  fee: string;
  feeAsset: string;
  /** The fee asset's price in the quote asset (OrderFilled.feeQuoteRate); null when unknown. */
  feeQuoteRate: string | null;
  baseAsset: string;
  quoteAsset: string;
}

export const flatPosition = (): PositionState => ({ quantity: '0', avgEntryPrice: '0', realizedPnl: '0', fees: '0', feesByAsset: [] });

export function applyFill(pos: PositionState, fill: PositionFill): PositionState {
  const q = dec(pos.quantity);
  const avg = dec(pos.avgEntryPrice);
  const price = dec(fill.price);
  const size = dec(fill.quantity);
  const delta = fill.side === 'BUY' ? size : size.neg();
  let realized = dec(pos.realizedPnl);
  let nextQty = q.plus(delta);
  let nextAvg: typeof avg;

  if (q.eq(0) || q.gt(0) === delta.gt(0)) {
    nextAvg = q.abs().times(avg).plus(size.times(price)).div(q.abs().plus(size));
  } else {
    const closed = minOf(size, q.abs());
    realized = realized.plus(
      price
        .minus(avg)
        .times(closed)
        .times(q.gt(0) ? 1 : -1),
    );
    nextAvg = nextQty.eq(0) ? ZERO : q.gt(0) === nextQty.gt(0) ? avg : price;
  }

  const fee = feeInQuote(fill.fee, fill.feeQuoteRate);
  if (fill.feeAsset === fill.baseAsset) nextQty = nextQty.minus(fill.fee);
  if (nextQty.eq(0)) nextAvg = ZERO;
  return {
    quantity: str(nextQty),
    avgEntryPrice: str(nextAvg),
    realizedPnl: str(realized.minus(fee)),
    fees: str(dec(pos.fees).plus(fee)),
    feesByAsset: addFee(pos.feesByAsset, fill.feeAsset, fill.fee),
  };
}

/** (mark - average) x quantity; works for short quantities too. */
export const unrealizedPnl = (pos: Pick<PositionState, 'quantity' | 'avgEntryPrice'>, markPrice: string): string =>
  str(dec(markPrice).minus(pos.avgEntryPrice).times(pos.quantity));

/** A fill with its place in the venue's sequence: its time there, then its trade id. */
export interface SequencedFill extends PositionFill {
  tradeId: string;
  at: string;
}

/**
 * A position kept in the venue's order of its trades. Average cost depends on the order of buys and
 * sells, and the venue's is the truth, while fills of different orders can be recorded in another
 * order (each order's reports are recorded as they come). So the last fills are kept, in venue
 * order, on top of the position before them (`settled`): a fill that arrives late is put in its
 * place and the position folded again from `settled`. A fill older than every kept one can only be
 * folded into `settled` where it arrives.
 */
export interface SequencedPosition extends PositionState {
  settled: PositionState;
  recent: SequencedFill[];
}

/** Fills kept for reordering: far more than can be in flight for one user and symbol at a time. */
export const REORDER_WINDOW = 64;

const byTradeId = (a: string, b: string) => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b));
/** The venue's order of two trades: time, then trade id (trade ids grow per symbol). */
export const venueOrder = (a: { at: string; tradeId: string }, b: { at: string; tradeId: string }): number =>
  a.at.localeCompare(b.at) || byTradeId(a.tradeId, b.tradeId);

export const flatSequencedPosition = (): SequencedPosition => ({ ...flatPosition(), settled: flatPosition(), recent: [] });

export function applyFillInVenueOrder(pos: SequencedPosition, fill: SequencedFill): SequencedPosition {
  let settled = pos.settled;
  let recent = pos.recent;
  let state: PositionState = pos;
  const last = recent.at(-1);
  if (!last || venueOrder(last, fill) <= 0) {
    recent = [...recent, fill];
    state = applyFill(pos, fill);
  } else if (venueOrder(recent[0] as SequencedFill, fill) > 0 && recent.length >= REORDER_WINDOW) {
    // Older than every fill kept, with the window full: it can only join the settled part.
    settled = applyFill(settled, fill);
    state = recent.reduce(applyFill, settled);
  } else {
    recent = [...recent, fill].sort(venueOrder);
    state = recent.reduce(applyFill, settled);
  }
  if (recent.length > REORDER_WINDOW) {
    settled = applyFill(settled, recent[0] as SequencedFill);
    recent = recent.slice(1);
  }
  const { quantity, avgEntryPrice, realizedPnl, fees, feesByAsset } = state;
  return { quantity, avgEntryPrice, realizedPnl, fees, feesByAsset, settled, recent };
}
