// Market stream names and payloads in Binance's shapes (web-socket-streams.md), built from the
// simulator's market and engine.
import { type Big, fmt8 } from '../decimal.ts';
import type { OrderBook } from '../engine/book.ts';
import type { AggTrade, PublicTrade } from '../engine/tape.ts';
import { type Interval, INTERVALS } from '../market/intervals.ts';
import { klineRow } from '../market/klines.ts';
import { HOUR, DAY } from '../market/time-units.ts';
import type { Simulator } from '../simulator.ts';
import { rollingOpen, windowStats } from '../api/tickers.ts';

export type StreamKind =
  | { kind: 'trade'; symbol: string }
  | { kind: 'aggTrade'; symbol: string }
  | { kind: 'bookTicker'; symbol: string }
  | { kind: 'kline'; symbol: string; interval: Interval }
  | { kind: 'depth'; symbol: string; levels: number; fast: boolean }
  | { kind: 'diffDepth'; symbol: string; fast: boolean }
  | { kind: 'ticker'; symbol: string }
  | { kind: 'miniTicker'; symbol: string }
  | { kind: 'rollingTicker'; symbol: string; window: '1h' | '4h' | '1d' }
  | { kind: 'avgPrice'; symbol: string }
  | { kind: 'allMiniTickers' };

const WINDOWS = { '1h': HOUR, '4h': 4 * HOUR, '1d': DAY } as const;

export function parseStream(name: string, known: (symbol: string) => boolean): StreamKind | undefined {
  if (name === '!miniTicker@arr') return { kind: 'allMiniTickers' };
  const [sym, topic, speed] = name.split('@');
  const symbol = sym?.toUpperCase() ?? '';
  if (!known(symbol) || !topic) return undefined;
  const fast = speed === '100ms';
  if (speed !== undefined && !fast && speed !== '1000ms') return undefined;
  if (topic === 'trade') return { kind: 'trade', symbol };
  if (topic === 'aggTrade') return { kind: 'aggTrade', symbol };
  if (topic === 'bookTicker') return { kind: 'bookTicker', symbol };
  if (topic === 'ticker') return { kind: 'ticker', symbol };
  if (topic === 'miniTicker') return { kind: 'miniTicker', symbol };
  if (topic === 'avgPrice') return { kind: 'avgPrice', symbol };
  if (topic === 'depth') return { kind: 'diffDepth', symbol, fast };
  const partial = /^depth(5|10|20)$/.exec(topic);
  if (partial) return { kind: 'depth', symbol, levels: Number(partial[1]), fast };
  const rolling = /^ticker_(1h|4h|1d)$/.exec(topic);
  if (rolling?.[1] === '1h' || rolling?.[1] === '4h' || rolling?.[1] === '1d') return { kind: 'rollingTicker', symbol, window: rolling[1] };
  const interval = topic.startsWith('kline_') ? INTERVALS.get(topic.slice(6)) : undefined;
  return interval ? { kind: 'kline', symbol, interval } : undefined;
}

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

const level = ([price, qty]: [Big, Big]) => [fmt8(price), fmt8(qty)];

export function bookTickerEvent(book: OrderBook) {
  const bid = book.best('BUY');
  const ask = book.best('SELL');
  return {
    u: book.updateId,
    s: book.symbol,
    b: bid ? fmt8(bid.price) : '0.00000000',
    B: bid ? fmt8(bid.total) : '0.00000000',
    a: ask ? fmt8(ask.price) : '0.00000000',
    A: ask ? fmt8(ask.total) : '0.00000000',
  };
}

export const partialDepthEvent = (book: OrderBook, levels: number) => ({
  lastUpdateId: book.updateId,
  bids: book.depth('BUY', levels).map(level),
  asks: book.depth('SELL', levels).map(level),
});

export const tradeEvent = (symbol: string, t: PublicTrade, now: number) => ({
  e: 'trade',
  E: now,
  s: symbol,
  t: t.id,
  p: fmt8(t.price),
  q: fmt8(t.qty),
  T: t.time,
  m: t.isBuyerMaker,
  M: true,
});

export const aggTradeEvent = (symbol: string, a: AggTrade, now: number) => ({
  e: 'aggTrade',
  E: now,
  s: symbol,
  a: a.a,
  p: fmt8(a.price),
  q: fmt8(a.qty),
  f: a.firstId,
  l: a.lastId,
  T: a.time,
  m: a.isBuyerMaker,
  M: true,
});

export function tickerEvent(sim: Simulator, symbol: string, now: number) {
  const spec = sim.market.spec(symbol);
  const w = windowStats(sim, spec, now - DAY, now, now);
  const book = sim.exchange.book(symbol);
  const bid = book.best('BUY');
  const ask = book.best('SELL');
  const last = sim.exchange.tape.last(symbol);
  const change = w.last.minus(w.open);
  return {
    e: '24hrTicker',
    E: now,
    s: symbol,
    p: fmt8(change),
    P: w.open.eq(0) ? '0.000' : change.div(w.open).times(100).toFixed(3),
    w: fmt8(w.weighted),
    x: fmt8(w.open),
    c: fmt8(w.last),
    Q: last ? fmt8(last.qty) : '0.00000000',
    b: bid ? fmt8(bid.price) : '0.00000000',
    B: bid ? fmt8(bid.total) : '0.00000000',
    a: ask ? fmt8(ask.price) : '0.00000000',
    A: ask ? fmt8(ask.total) : '0.00000000',
    o: fmt8(w.open),
    h: fmt8(w.high),
    l: fmt8(w.low),
    v: fmt8(w.volume),
    q: fmt8(w.quoteVolume),
    O: w.openTime,
    C: w.closeTime,
    F: w.firstId,
    L: w.lastId,
    n: w.count,
  };
}

export function miniTickerEvent(sim: Simulator, symbol: string, now: number) {
  const w = windowStats(sim, sim.market.spec(symbol), now - DAY, now, now);
  return {
    e: '24hrMiniTicker',
    E: now,
    s: symbol,
    c: fmt8(w.last),
    o: fmt8(w.open),
    h: fmt8(w.high),
    l: fmt8(w.low),
    v: fmt8(w.volume),
    q: fmt8(w.quoteVolume),
  };
}

export function rollingTickerEvent(sim: Simulator, symbol: string, window: keyof typeof WINDOWS, now: number) {
  const w = windowStats(sim, sim.market.spec(symbol), rollingOpen(now, WINDOWS[window]), now, now);
  const change = w.last.minus(w.open);
  return {
    e: `${window}Ticker`,
    E: now,
    s: symbol,
    p: fmt8(change),
    P: w.open.eq(0) ? '0.000' : change.div(w.open).times(100).toFixed(3),
    o: fmt8(w.open),
    h: fmt8(w.high),
    l: fmt8(w.low),
    c: fmt8(w.last),
    w: fmt8(w.weighted),
    v: fmt8(w.volume),
    q: fmt8(w.quoteVolume),
    O: w.openTime,
    C: w.closeTime,
    F: w.firstId,
    L: w.lastId,
    n: w.count,
  };
}

export function avgPriceEvent(sim: Simulator, symbol: string, now: number) {
  const spec = sim.market.spec(symbol);
  const mins = spec.filters.percentPriceBySide.avgPriceMins || 5;
  return {
    e: 'avgPrice',
    E: now,
    s: symbol,
    i: `${mins}m`,
    w: fmt8(sim.market.avgPrice(symbol, mins, now)),
    T: sim.exchange.tape.last(symbol)?.time ?? now,
  };
}
