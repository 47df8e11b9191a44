// Public market data (rest-api.md "General endpoints" and "Market Data endpoints"). Prices come from
// the simulator's market, the book and the trades from the engine, so what /depth shows is what a
// taker will walk.
import { Big, fmt8 } from '../decimal.ts';
import { errors } from '../errors.ts';
import { INTERVALS } from '../market/intervals.ts';
import { klineOpenTimes, klineRow } from '../market/klines.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import type { Params } from '../params.ts';
import type { Endpoint, PublicCall } from './endpoint.ts';
import { exchangeInfo } from './exchange-info.ts';
import { selectSymbols, symbolCount } from './symbols-param.ts';
import { miniTicker, rollingOpen, ticker24h, timeZoneOffsetMs, tradingDay, windowSizeMs, windowStats, windowTicker } from './tickers.ts';
import type { AggTrade, PublicTrade } from '../engine/tape.ts';

const DEPTH_MAX = 5000;

const tradeView = (t: PublicTrade) => ({
  id: t.id,
  price: fmt8(t.price),
  qty: fmt8(t.qty),
  quoteQty: fmt8(t.quoteQty),
  time: t.time,
  isBuyerMaker: t.isBuyerMaker,
  isBestMatch: true,
});

export const aggView = (a: AggTrade) => ({
  a: a.a,
  p: fmt8(a.price),
  q: fmt8(a.qty),
  f: a.firstId,
  l: a.lastId,
  T: a.time,
  m: a.isBuyerMaker,
  M: true,
});

/** Answers one object for `symbol`, an array otherwise. */
function perSymbol<T>(c: PublicCall, view: (s: SymbolSpec) => T, opts: { required?: boolean; max?: number } = {}): T | T[] {
  const { specs, single } = selectSymbols(c.params, c.sim.market, opts);
  return single ? view(specs[0] as SymbolSpec) : specs.map(view);
}

/** `type` of the tickers: FULL (default) or MINI. */
function tickerType(p: Params): 'FULL' | 'MINI' {
  return p.enumOf('type', ['FULL', 'MINI'] as const, errors.invalidTickerType) ?? 'FULL';
}

const symbolStatusMismatch = (p: Params): boolean => {
  const status = p.enumOf('symbolStatus', ['TRADING', 'HALT', 'BREAK'] as const, () => errors.invalidParam('symbolStatus'));
  // Every listed symbol is TRADING.
  return status !== undefined && status !== 'TRADING';
};

/** 24hr and price/book tickers: 2 for one symbol, more for many (rest-api.md). */
const tickerWeight = (single: number, many: (n: number) => number, all: number) => (p: Params) => {
  const n = symbolCount(p);
  if (n === undefined) return all;
  return p.has('symbol') ? single : many(n);
};

const perSymbolCapped = (p: Params) => Math.min(200, 4 * (symbolCount(p) ?? 1));

function klines(c: PublicCall) {
  const p = c.params;
  const spec = c.sim.market.spec(p.required('symbol'));
  const interval = INTERVALS.get(p.required('interval'));
  if (!interval) throw errors.invalidInterval();
  const offset = timeZoneOffsetMs(p.string('timeZone'));
  const limit = p.limit('limit', 500, 1000);
  const startTime = p.millis('startTime');
  const endTime = p.millis('endTime');
  // With a time zone, intervals open on that zone's clock; start and end stay UTC (rest-api.md).
  const shifted = {
    limit,
    ...(startTime !== undefined ? { startTime: startTime + offset } : {}),
    ...(endTime !== undefined ? { endTime: endTime + offset } : {}),
  };
  const tree = c.sim.market.tree(spec.symbol);
  return klineOpenTimes(interval, shifted, c.now + offset)
    .map((open) => klineRow(spec, tree, interval, open - offset, c.now, interval.next(open) - offset))
    .filter((r) => r !== undefined);
}

export const marketData: Endpoint[] = [
  { rest: { method: 'GET', path: '/api/v3/ping' }, ws: 'ping', security: 'NONE', weight: 1, run: () => ({}) },
  { rest: { method: 'GET', path: '/api/v3/time' }, ws: 'time', security: 'NONE', weight: 1, run: (c) => ({ serverTime: c.now }) },
  {
    rest: { method: 'GET', path: '/api/v3/exchangeInfo' },
    ws: 'exchangeInfo',
    security: 'NONE',
    weight: 20,
    run: (c) => {
      const { specs } = selectSymbols(c.params, c.sim.market);
      const permitted = !c.params.has('permissions') || (c.params.string('permissions') ?? '').includes('SPOT');
      const list = symbolStatusMismatch(c.params) || !permitted ? [] : specs;
      return exchangeInfo(list, c.sim.limits, c.now);
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/depth' },
    ws: 'depth',
    security: 'NONE',
    weight: (p) => {
      const limit = Number(p.string('limit') ?? 100);
      return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
    },
    run: (c) => {
      const spec = c.sim.market.spec(c.params.required('symbol'));
      const limit = Math.min(c.params.limit('limit', 100, Number.MAX_SAFE_INTEGER), DEPTH_MAX);
      c.sim.exchange.sync(spec.symbol, c.now);
      const book = c.sim.exchange.book(spec.symbol);
      const rows = (side: 'BUY' | 'SELL') => book.depth(side, limit).map(([price, qty]) => [fmt8(price), fmt8(qty)]);
      return { lastUpdateId: book.updateId, bids: rows('BUY'), asks: rows('SELL') };
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/trades' },
    ws: 'trades.recent',
    security: 'NONE',
    weight: 25,
    run: (c) => {
      const spec = c.sim.market.spec(c.params.required('symbol'));
      c.sim.exchange.sync(spec.symbol, c.now);
      return c.sim.exchange.tape.recent(spec.symbol, c.params.limit('limit', 500, 1000)).map(tradeView);
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/historicalTrades' },
    ws: 'trades.historical',
    security: 'NONE',
    weight: 25,
    run: (c) => {
      const spec = c.sim.market.spec(c.params.required('symbol'));
      c.sim.exchange.sync(spec.symbol, c.now);
      const limit = c.params.limit('limit', 500, 1000);
      const fromId = c.params.integer('fromId');
      const tape = c.sim.exchange.tape;
      return (fromId === undefined ? tape.recent(spec.symbol, limit) : tape.from(spec.symbol, fromId, limit)).map(tradeView);
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/aggTrades' },
    ws: 'trades.aggregate',
    security: 'NONE',
    weight: 4,
    run: (c) => {
      const p = c.params;
      const spec = c.sim.market.spec(p.required('symbol'));
      c.sim.exchange.sync(spec.symbol, c.now);
      const fromId = p.integer('fromId');
      const startTime = p.millis('startTime');
      const endTime = p.millis('endTime');
      if (fromId !== undefined && (startTime !== undefined || endTime !== undefined)) throw errors.badCombination();
      return c.sim.exchange.tape
        .aggregates(spec.symbol, {
          limit: p.limit('limit', 500, 1000),
          ...(fromId !== undefined ? { fromId } : {}),
          ...(startTime !== undefined ? { startTime } : {}),
          ...(endTime !== undefined ? { endTime } : {}),
        })
        .map(aggView);
    },
  },
  { rest: { method: 'GET', path: '/api/v3/klines' }, ws: 'klines', security: 'NONE', weight: 2, run: klines },
  { rest: { method: 'GET', path: '/api/v3/uiKlines' }, ws: 'uiKlines', security: 'NONE', weight: 2, run: klines },
  {
    rest: { method: 'GET', path: '/api/v3/avgPrice' },
    ws: 'avgPrice',
    security: 'NONE',
    weight: 2,
    run: (c) => {
      const spec = c.sim.market.spec(c.params.required('symbol'));
      const mins = spec.filters.percentPriceBySide.avgPriceMins || 5;
      const closeTime = c.sim.exchange.tape.last(spec.symbol)?.time ?? c.now;
      return { mins, price: fmt8(c.sim.market.avgPrice(spec.symbol, mins, c.now)), closeTime };
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/ticker/24hr' },
    ws: 'ticker.24hr',
    security: 'NONE',
    weight: tickerWeight(2, (n) => (n <= 20 ? 2 : n <= 100 ? 40 : 80), 80),
    run: (c) => {
      const type = tickerType(c.params);
      if (symbolStatusMismatch(c.params)) {
        if (c.params.has('symbol')) throw errors.symbolStatusMismatch();
        return [];
      }
      return perSymbol(c, (s) => {
        c.sim.exchange.sync(s.symbol, c.now);
        return type === 'MINI' ? miniTicker(windowStats(c.sim, s, c.now - 86_400_000, c.now, c.now)) : ticker24h(c.sim, s, c.now);
      });
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/ticker/tradingDay' },
    ws: 'ticker.tradingDay',
    security: 'NONE',
    weight: perSymbolCapped,
    run: (c) => {
      const type = tickerType(c.params);
      const offset = timeZoneOffsetMs(c.params.string('timeZone'));
      const day = tradingDay(c.now, offset);
      return perSymbol(
        c,
        (s) => {
          const w = windowStats(c.sim, s, day.openTime, day.closeTime, c.now);
          return type === 'MINI' ? miniTicker(w) : windowTicker(w);
        },
        { required: true, max: 100 },
      );
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/ticker' },
    ws: 'ticker',
    security: 'NONE',
    weight: perSymbolCapped,
    run: (c) => {
      const type = tickerType(c.params);
      const windowMs = windowSizeMs(c.params.string('windowSize'));
      return perSymbol(
        c,
        (s) => {
          const w = windowStats(c.sim, s, rollingOpen(c.now, windowMs), c.now, c.now);
          return type === 'MINI' ? miniTicker(w) : windowTicker(w);
        },
        { required: true, max: 100 },
      );
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/ticker/price' },
    ws: 'ticker.price',
    security: 'NONE',
    weight: tickerWeight(2, () => 4, 4),
    run: (c) => perSymbol(c, (s) => ({ symbol: s.symbol, price: fmt8(c.sim.market.price(s.symbol, c.now)) })),
  },
  {
    rest: { method: 'GET', path: '/api/v3/ticker/bookTicker' },
    ws: 'ticker.book',
    security: 'NONE',
    weight: tickerWeight(2, () => 4, 4),
    run: (c) =>
      perSymbol(c, (s) => {
        c.sim.exchange.sync(s.symbol, c.now);
        const book = c.sim.exchange.book(s.symbol);
        const bid = book.best('BUY');
        const ask = book.best('SELL');
        const zero = new Big(0);
        return {
          symbol: s.symbol,
          bidPrice: fmt8(bid?.price ?? zero),
          bidQty: fmt8(bid?.total ?? zero),
          askPrice: fmt8(ask?.price ?? zero),
          askQty: fmt8(ask?.total ?? zero),
        };
      }),
  },
];
