// Public market data: tickers, book, klines. Prices come from the simulator's market, so a pinned
// price shows everywhere except in kline history (which is the seeded process, pins or not).
import type { FastifyPluginAsync } from 'fastify';
import { Big, fmt8, fromFloat } from '../../decimal.ts';
import { errors } from '../../errors.ts';
import { INTERVALS } from '../../market/intervals.ts';
import { klineOpenTimes, klineRow } from '../../market/klines.ts';
import type { SymbolSpec } from '../../market/symbols.ts';
import { MINUTE } from '../../market/time-units.ts';
import type { Simulator } from '../../simulator.ts';
import { paramsOf } from '../request-params.ts';
import { selectSymbols } from '../symbols-param.ts';
import { ticker24h } from '../ticker-24h.ts';

const DEPTH_LIMIT_MAX = 5000;

export const marketRoutes: FastifyPluginAsync<{ sim: Simulator }> = async (app, { sim }) => {
  const { market } = sim;
  const perSymbol = <T>(req: Parameters<typeof paramsOf>[0], view: (s: SymbolSpec, now: number) => T): T | T[] => {
    const { specs, single } = selectSymbols(paramsOf(req), market);
    const now = sim.now();
    return single ? view(specs[0] as SymbolSpec, now) : specs.map((s) => view(s, now));
  };

  app.get('/api/v3/ticker/price', async (req) =>
    perSymbol(req, (s, now) => ({ symbol: s.symbol, price: fmt8(market.price(s.symbol, now)) })),
  );

  app.get('/api/v3/ticker/bookTicker', async (req) =>
    perSymbol(req, (s, now) => {
      const { bids, asks } = market.book(s.symbol, now);
      const [bid, ask] = [bids[0], asks[0]];
      return {
        symbol: s.symbol,
        bidPrice: fmt8(bid?.price ?? new Big(0)),
        bidQty: fmt8(bid?.qty ?? new Big(0)),
        askPrice: fmt8(ask?.price ?? new Big(0)),
        askQty: fmt8(ask?.qty ?? new Big(0)),
      };
    }),
  );

  app.get('/api/v3/ticker/24hr', async (req) => perSymbol(req, (s, now) => ticker24h(sim, s, now)));

  app.get('/api/v3/avgPrice', async (req) => {
    const p = paramsOf(req);
    const spec = market.spec(p.required('symbol'));
    const now = sim.now();
    const c = market.tree(spec.symbol).span(now - 5 * MINUTE, now);
    const avg =
      market.isPinned(spec.symbol) || !c
        ? market.price(spec.symbol, now)
        : fromFloat((c.high + c.low + 2 * c.close) / 4, new Big('0.00000001'));
    return { mins: 5, price: fmt8(avg), closeTime: now };
  });

  const klines = async (req: Parameters<typeof paramsOf>[0]) => {
    const p = paramsOf(req);
    const spec = market.spec(p.required('symbol'));
    const interval = INTERVALS.get(p.required('interval'));
    if (!interval) throw errors.invalidInterval();
    const q = { limit: p.limit('limit', 500, 1000) } as { limit: number; startTime?: number; endTime?: number };
    const startTime = p.integer('startTime');
    const endTime = p.integer('endTime');
    if (startTime !== undefined) q.startTime = startTime;
    if (endTime !== undefined) q.endTime = endTime;
    const now = sim.now();
    const tree = market.tree(spec.symbol);
    const rows = klineOpenTimes(interval, q, now).map((open) => klineRow(spec, tree, interval, open, now));
    return rows.filter((r) => r !== undefined);
  };
  app.get('/api/v3/klines', klines);
  app.get('/api/v3/uiKlines', klines);

  app.get('/api/v3/depth', async (req) => {
    const p = paramsOf(req);
    const spec = market.spec(p.required('symbol'));
    const limit = p.limit('limit', 100, DEPTH_LIMIT_MAX);
    const now = sim.now();
    const { bids, asks } = market.book(spec.symbol, now);
    const rows = (levels: typeof bids) => levels.slice(0, limit).map((l) => [fmt8(l.price), fmt8(l.qty)]);
    return { lastUpdateId: Math.floor(now / 250), bids: rows(bids), asks: rows(asks) };
  });
};
