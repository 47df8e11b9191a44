// GET /api/v3/klines semantics: candles whose open time is in [startTime, endTime], most recent
// ones when no start is given, the still-open candle included with its running values.
import { Big, fmt8, fromFloat } from '../decimal.ts';
import type { CandleTree } from './candle-tree.ts';
import type { Interval } from './intervals.ts';
import { tickOf } from './market.ts';
import type { SymbolSpec } from './symbols.ts';
import { TICK } from './time-units.ts';

/** Nothing is listed before this Monday; it leaves more than 500 weekly candles of history. */
export const HISTORY_START = Date.UTC(2014, 0, 6);

export type KlineRow = [number, string, string, string, string, string, number, string, number, string, string, string];

export interface KlineQuery {
  startTime?: number;
  endTime?: number;
  limit: number;
}

export function klineOpenTimes(interval: Interval, q: KlineQuery, now: number): number[] {
  const last = interval.openAt(Math.min(q.endTime ?? now, now));
  const times: number[] = [];
  if (q.startTime !== undefined) {
    let open = interval.openAt(Math.max(q.startTime, HISTORY_START));
    if (open < q.startTime) open = interval.next(open);
    for (; open <= last && times.length < q.limit; open = interval.next(open)) times.push(open);
    return times;
  }
  for (let open = last; open >= HISTORY_START && times.length < q.limit; open = interval.openAt(open - 1)) {
    times.push(open);
  }
  return times.reverse();
}

/** `close` is the next interval's open (given explicitly when the interval runs on a shifted clock). */
export function klineRow(
  spec: SymbolSpec,
  tree: CandleTree,
  interval: Interval,
  open: number,
  now: number,
  close = interval.next(open),
): KlineRow | undefined {
  const liveEnd = (Math.floor(now / TICK) + 1) * TICK;
  const c = tree.span(open, Math.min(close, liveEnd));
  if (!c) return undefined;
  const px = (x: number) => fmt8(fromFloat(x, tickOf(spec)));
  const volume = new Big(c.volume.toFixed(8));
  const typical = fromFloat((c.high + c.low + 2 * c.close) / 4, tickOf(spec));
  const quoteVolume = volume.times(typical);
  // Buyers dominate rising candles a little, sellers falling ones.
  const buyShare = 0.5 + (0.3 * (c.close - c.open)) / Math.max(c.high - c.low, 1e-9);
  const takerBase = new Big((c.volume * buyShare).toFixed(8));
  const trades = Math.max(1, Math.round((c.volume / spec.bookLevelQty.toNumber()) * 25));
  return [
    open,
    px(c.open),
    px(c.high),
    px(c.low),
    px(c.close),
    fmt8(volume),
    close - 1,
    fmt8(quoteVolume),
    trades,
    fmt8(takerBase),
    fmt8(takerBase.times(typical)),
    '0',
  ];
}
