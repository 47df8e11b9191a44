// A synthetic order book around the mid: ~1 bp spread and a finite ladder per side. It is
// regenerated every tick (liquidity "refills"), so an order can take at most one ladder per tick.
import { Big, ceilTo, floorTo } from '../decimal.ts';
import type { Rng } from './rng.ts';
import type { SymbolSpec } from './symbols.ts';

export interface BookLevel {
  price: Big;
  qty: Big;
}

export interface Book {
  bids: BookLevel[];
  asks: BookLevel[];
}

export const BOOK_LEVELS = 20;
const HALF_SPREAD = new Big('0.00005');
const LEVEL_GAP = new Big('0.00003');

export function syntheticBook(spec: SymbolSpec, mid: Big, rng: Rng, tickIndex: number): Book {
  const tick = spec.tickSize;
  const bestBid = floorTo(mid.times(Big(1).minus(HALF_SPREAD)), tick);
  let bestAsk = ceilTo(mid.times(Big(1).plus(HALF_SPREAD)), tick);
  if (bestAsk.lte(bestBid)) bestAsk = bestBid.plus(tick);
  const gapRaw = floorTo(mid.times(LEVEL_GAP), tick);
  const gap = gapRaw.gt(tick) ? gapRaw : tick;
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let i = 0; i < BOOK_LEVELS; i++) {
    const bidPrice = bestBid.minus(gap.times(i));
    if (bidPrice.gt(0)) bids.push({ price: bidPrice, qty: levelQty(spec, rng, tickIndex, i, 0) });
    asks.push({ price: bestAsk.plus(gap.times(i)), qty: levelQty(spec, rng, tickIndex, i, 1) });
  }
  return { bids, asks };
}

function levelQty(spec: SymbolSpec, rng: Rng, tickIndex: number, level: number, side: number): Big {
  const jitter = 0.75 + 0.5 * rng.uniform(300 + side, tickIndex, level);
  const qty = spec.bookLevelQty.times((1 + 0.3 * level) * jitter);
  return floorTo(qty, spec.stepSize);
}
