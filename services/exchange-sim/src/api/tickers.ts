// Price-change statistics over a window: /ticker/24hr (a rolling 24 h), /ticker (rolling window of
// windowSize, opening on a minute), /ticker/tradingDay (the calendar day in a time zone), and the
// ticker streams. OHLC and volume come from the price tree, the last price and book from the live
// venue; trade ids span the window's trade count up to the tape's last trade.
import { Big, fmt8, fromFloat } from '../decimal.ts';
import { errors } from '../errors.ts';
import { tickOf } from '../market/market.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import { DAY, HOUR, MINUTE } from '../market/time-units.ts';
import type { Simulator } from '../simulator.ts';

export interface WindowStats {
  symbol: string;
  open: Big;
  high: Big;
  low: Big;
  last: Big;
  volume: Big;
  quoteVolume: Big;
  weighted: Big;
  openTime: number;
  closeTime: number;
  firstId: number;
  lastId: number;
  count: number;
}

export function windowStats(sim: Simulator, s: SymbolSpec, openTime: number, closeTime: number, now: number): WindowStats {
  const { market } = sim;
  const c = market.tree(s.symbol).span(openTime, Math.min(closeTime, now));
  const px = (x: number) => fromFloat(x, tickOf(s));
  const last = market.price(s.symbol, now);
  const open = c ? px(c.open) : last;
  const high = c ? px(Math.max(c.high, last.toNumber())) : last;
  const low = c ? px(Math.min(c.low, last.toNumber())) : last;
  const volume = new Big((c?.volume ?? 0).toFixed(8));
  const weighted = fromFloat((high.toNumber() + low.toNumber() + 2 * last.toNumber()) / 4, tickOf(s));
  const count = Math.max(1, Math.round(((c?.volume ?? 0) * 25) / s.bookLevelQty.toNumber()));
  const lastId = sim.exchange.tape.last(s.symbol)?.id ?? sim.exchange.ids.peek('tradeIds', s.symbol) - 1;
  return {
    symbol: s.symbol,
    open,
    high,
    low,
    last,
    volume,
    quoteVolume: volume.times(weighted),
    weighted,
    openTime,
    closeTime,
    firstId: Math.max(0, lastId - count + 1),
    lastId,
    count,
  };
}

const change = (w: WindowStats) => {
  const diff = w.last.minus(w.open);
  return { priceChange: fmt8(diff), priceChangePercent: w.open.eq(0) ? '0.000' : diff.div(w.open).times(100).toFixed(3) };
};

/** The MINI shape shared by every ticker. */
export const miniTicker = (w: WindowStats) => ({
  symbol: w.symbol,
  openPrice: fmt8(w.open),
  highPrice: fmt8(w.high),
  lowPrice: fmt8(w.low),
  lastPrice: fmt8(w.last),
  volume: fmt8(w.volume),
  quoteVolume: fmt8(w.quoteVolume),
  openTime: w.openTime,
  closeTime: w.closeTime,
  firstId: w.firstId,
  lastId: w.lastId,
  count: w.count,
});

/** /ticker and /ticker/tradingDay, FULL. */
export const windowTicker = (w: WindowStats) => ({
  symbol: w.symbol,
  ...change(w),
  weightedAvgPrice: fmt8(w.weighted),
  ...(({ symbol: _s, ...rest }) => rest)(miniTicker(w)),
});

/** /ticker/24hr FULL: the window ticker plus the book and the last trade. */
export function ticker24h(sim: Simulator, s: SymbolSpec, now: number) {
  const w = windowStats(sim, s, now - DAY, now, now);
  const book = sim.exchange.book(s.symbol);
  const bid = book.best('BUY');
  const ask = book.best('SELL');
  const lastTrade = sim.exchange.tape.last(s.symbol);
  return {
    symbol: s.symbol,
    ...change(w),
    weightedAvgPrice: fmt8(w.weighted),
    prevClosePrice: fmt8(w.open),
    lastPrice: fmt8(w.last),
    lastQty: fmt8(lastTrade?.qty ?? new Big(0)),
    bidPrice: fmt8(bid?.price ?? new Big(0)),
    bidQty: fmt8(bid?.total ?? new Big(0)),
    askPrice: fmt8(ask?.price ?? new Big(0)),
    askQty: fmt8(ask?.total ?? new Big(0)),
    openPrice: fmt8(w.open),
    highPrice: fmt8(w.high),
    lowPrice: fmt8(w.low),
    volume: fmt8(w.volume),
    quoteVolume: fmt8(w.quoteVolume),
    openTime: w.openTime,
    closeTime: w.closeTime,
    firstId: w.firstId,
    lastId: w.lastId,
    count: w.count,
  };
}

/** windowSize of /ticker: 1m…59m, 1h…23h, 1d…7d (units cannot be combined). */
export function windowSizeMs(raw: string | undefined): number {
  const m = /^([0-9]{1,2})([mhd])$/.exec(raw ?? '1d');
  const n = Number(m?.[1] ?? 0);
  const unit = m?.[2];
  if (unit === 'm' && n >= 1 && n <= 59) return n * MINUTE;
  if (unit === 'h' && n >= 1 && n <= 23) return n * HOUR;
  if (unit === 'd' && n >= 1 && n <= 7) return n * DAY;
  throw errors.invalidParam('windowSize');
}

/** The rolling window opens on a minute, so it is up to 59 999 ms wider than asked (rest-api.md). */
export const rollingOpen = (now: number, windowMs: number): number => Math.floor((now - windowMs) / MINUTE) * MINUTE;

/** timeZone of klines and tradingDay: hours, or hours:minutes, within [-12:00, +14:00]. */
export function timeZoneOffsetMs(raw: string | undefined): number {
  if (raw === undefined || raw === '0') return 0;
  const m = /^([+-]?)([0-9]{1,2})(?::([0-9]{2}))?$/.exec(raw);
  if (!m) throw errors.invalidParam('timeZone');
  const sign = m[1] === '-' ? -1 : 1;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  const offset = sign * minutes;
  if (offset < -12 * 60 || offset > 14 * 60 || Number(m[3] ?? 0) >= 60) throw errors.invalidParam('timeZone');
  return offset * MINUTE;
}

/** The trading day (in the time zone) that contains `now`. */
export function tradingDay(now: number, offsetMs: number): { openTime: number; closeTime: number } {
  const openTime = Math.floor((now + offsetMs) / DAY) * DAY - offsetMs;
  return { openTime, closeTime: openTime + DAY - 1 };
}
