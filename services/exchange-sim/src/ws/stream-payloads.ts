// Market stream payloads in Binance's shapes, built from the simulator's market.
import { fmt8, floorTo } from '../decimal.ts';
import type { Interval } from '../market/intervals.ts';
import { klineRow } from '../market/klines.ts';
import type { Simulator } from '../simulator.ts';

export type StreamKind =
  | { kind: 'trade'; symbol: string }
  | { kind: 'bookTicker'; symbol: string }
  | { kind: 'kline'; symbol: string; interval: Interval };

export function klineEvent(sim: Simulator, symbol: string, interval: Interval, open: number, now: number, closed: boolean) {
  const spec = sim.market.spec(symbol);
  const row = klineRow(spec, sim.market.tree(symbol), interval, open, now);
  if (!row) return undefined;
  const [t, o, h, l, c, v, T, q, n, V, Q] = row;
  return {
    e: 'kline',
    E: now,
    s: symbol,
    k: { t, T, s: symbol, i: interval.name, f: -1, L: -1, o, c, h, l, v, n, x: closed, q, V, Q, B: '0' },
  };
}

export function bookTickerEvent(sim: Simulator, symbol: string, now: number) {
  const { bids, asks } = sim.market.book(symbol, now);
  return {
    u: Math.floor(now / 250),
    s: symbol,
    b: bids[0] ? fmt8(bids[0].price) : '0.00000000',
    B: bids[0] ? fmt8(bids[0].qty) : '0.00000000',
    a: asks[0] ? fmt8(asks[0].price) : '0.00000000',
    A: asks[0] ? fmt8(asks[0].qty) : '0.00000000',
  };
}

/** One synthetic market print per tick at the last price; its id comes from the symbol's trade ids. */
export function tradeEvent(sim: Simulator, symbol: string, now: number, tickIndex: number) {
  const spec = sim.market.spec(symbol);
  const qty = floorTo(spec.bookLevelQty.times(0.05 + ((tickIndex * 7919) % 100) / 100), spec.stepSize);
  return {
    e: 'trade',
    E: now,
    s: symbol,
    t: sim.exchange.nextTradeId(symbol),
    p: fmt8(sim.market.price(symbol, now)),
    q: fmt8(qty.gt(0) ? qty : spec.stepSize),
    T: now,
    m: tickIndex % 2 === 0,
    M: true,
  };
}
