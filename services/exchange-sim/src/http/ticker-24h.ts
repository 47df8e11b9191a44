// GET /api/v3/ticker/24hr: a rolling 24 h window over the price tree, ending at the live price.
import { Big, fmt8, fromFloat } from '../decimal.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import { DAY } from '../market/time-units.ts';
import type { Simulator } from '../simulator.ts';

export function ticker24h(sim: Simulator, s: SymbolSpec, now: number) {
  const { market } = sim;
  const openTime = now - DAY;
  const c = market.tree(s.symbol).span(openTime, now);
  const px = (x: number) => fromFloat(x, s.tickSize);
  const last = market.price(s.symbol, now);
  const open = c ? px(c.open) : last;
  const high = c ? px(Math.max(c.high, last.toNumber())) : last;
  const low = c ? px(Math.min(c.low, last.toNumber())) : last;
  const volume = new Big((c?.volume ?? 0).toFixed(8));
  const weighted = fromFloat((high.toNumber() + low.toNumber() + 2 * last.toNumber()) / 4, s.tickSize);
  const { bids, asks } = market.book(s.symbol, now);
  const change = last.minus(open);
  return {
    symbol: s.symbol,
    priceChange: fmt8(change),
    priceChangePercent: open.eq(0) ? '0.000' : change.div(open).times(100).toFixed(3),
    weightedAvgPrice: fmt8(weighted),
    prevClosePrice: fmt8(open),
    lastPrice: fmt8(last),
    lastQty: fmt8(s.minQty.times(10)),
    bidPrice: fmt8(bids[0]?.price ?? last),
    bidQty: fmt8(bids[0]?.qty ?? new Big(0)),
    askPrice: fmt8(asks[0]?.price ?? last),
    askQty: fmt8(asks[0]?.qty ?? new Big(0)),
    openPrice: fmt8(open),
    highPrice: fmt8(high),
    lowPrice: fmt8(low),
    volume: fmt8(volume),
    quoteVolume: fmt8(volume.times(weighted)),
    openTime,
    closeTime: now,
    firstId: -1,
    lastId: -1,
    count: Math.max(1, Math.round(((c?.volume ?? 0) * 25) / s.bookLevelQty.toNumber())),
  };
}
