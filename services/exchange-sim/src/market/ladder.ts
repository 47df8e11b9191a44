// What the synthetic market maker quotes around the mid: ~1 bp spread and a finite ladder per side,
// re-quoted every tick (liquidity "refills"), so a taker can take at most one ladder per tick. The
// quotes go into the same order book as the users' orders (engine/market-maker.ts).
import { Big, ceilTo, floorTo } from '../decimal.ts';
import type { Rng } from './rng.ts';
import type { SymbolSpec } from './symbols.ts';

export interface LadderLevel {
  price: Big;
  qty: Big;
}

export interface Ladder {
  /** Best (highest) first. */
  bids: LadderLevel[];
  /** Best (lowest) first. */
  asks: LadderLevel[];
}

export const LADDER_LEVELS = 20;
const HALF_SPREAD = new Big('0.00005');
const LEVEL_GAP = new Big('0.00003');

export function quoteLadder(spec: SymbolSpec, mid: Big, rng: Rng, tickIndex: number): Ladder {
  const step = spec.filters.price.tickSize;
  const tick = step.gt(0) ? step : new Big('0.00000001');
  const bestBid = floorTo(mid.times(Big(1).minus(HALF_SPREAD)), tick);
  let bestAsk = ceilTo(mid.times(Big(1).plus(HALF_SPREAD)), tick);
  if (bestAsk.lte(bestBid)) bestAsk = bestBid.plus(tick);
  const gapRaw = floorTo(mid.times(LEVEL_GAP), tick);
  const gap = gapRaw.gt(tick) ? gapRaw : tick;
  const bids: LadderLevel[] = [];
  const asks: LadderLevel[] = [];
  for (let i = 0; i < LADDER_LEVELS; i++) {
    const bidPrice = bestBid.minus(gap.times(i));
    if (bidPrice.gt(0)) bids.push({ price: bidPrice, qty: levelQty(spec, rng, tickIndex, i, 0) });
    asks.push({ price: bestAsk.plus(gap.times(i)), qty: levelQty(spec, rng, tickIndex, i, 1) });
  }
  return { bids, asks };
}

function levelQty(spec: SymbolSpec, rng: Rng, tickIndex: number, level: number, side: number): Big {
  const jitter = 0.75 + 0.5 * rng.uniform(300 + side, tickIndex, level);
  const qty = spec.bookLevelQty.times((1 + 0.3 * level) * jitter);
  const step = spec.filters.lot.stepSize;
  return step.gt(0) ? floorTo(qty, step) : qty.round(8, Big.roundDown);
}
