// Account endpoints (rest-api.md "Account Endpoints"): account information, order queries, trade
// history, prevented matches, the unfilled order count and commission rates.
import { fmt8 } from '../decimal.ts';
import type { Account } from '../engine/accounts.ts';
import { errors } from '../errors.ts';
import type { Params } from '../params.ts';
import { bips, commissionRates } from './commission-rates.ts';
import type { Endpoint } from './endpoint.ts';
import { orderRef } from './trading.ts';
import { orderView, preventedView, tradeView } from './views.ts';

const DAY = 86_400_000;

/** A stable numeric id per account, like Binance's uid. */
const uidOf = (apiKey: string): number => [...apiKey].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000_000, 7);

function timeRange(p: Params): { start?: number; end?: number } {
  const start = p.millis('startTime');
  const end = p.millis('endTime');
  if (start !== undefined && end !== undefined && end - start > DAY) throw errors.lookupTooBig(24);
  return { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
}

export function accountInfo(account: Account, p: Params, rates: ReturnType<typeof commissionRates>, feeBips: number) {
  const omitZero = p.boolean('omitZeroBalances') ?? false;
  return {
    makerCommission: feeBips,
    takerCommission: feeBips,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: {
      maker: rates.standard.maker,
      taker: rates.standard.taker,
      buyer: rates.standard.buyer,
      seller: rates.standard.seller,
    },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: account.updateTime,
    accountType: 'SPOT',
    balances: account.balances
      .list()
      .filter((b) => !omitZero || b.free.plus(b.locked).gt(0))
      .map((b) => ({ asset: b.asset, free: fmt8(b.free), locked: fmt8(b.locked) })),
    permissions: ['SPOT'],
    uid: uidOf(account.apiKey),
  };
}

export const accountData: Endpoint[] = [
  {
    rest: { method: 'GET', path: '/api/v3/account' },
    ws: 'account.status',
    security: 'USER_DATA',
    weight: 20,
    run: (c) => accountInfo(c.account, c.params, commissionRates(c.sim, c.account), bips(c.sim.feeRate)),
  },
  {
    rest: { method: 'GET', path: '/api/v3/order' },
    ws: 'order.status',
    security: 'USER_DATA',
    weight: 4,
    run: (c) => {
      const order = c.sim.exchange.find(c.account, c.params.required('symbol'), orderRef(c.params));
      if (!order) throw errors.noSuchOrder();
      return orderView(order);
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/openOrders' },
    ws: 'openOrders.status',
    security: 'USER_DATA',
    weight: (p) => (p.has('symbol') ? 6 : 80),
    run: (c) => {
      const symbol = c.params.string('symbol');
      if (symbol !== undefined) c.sim.market.spec(symbol);
      return c.account.openOrders(symbol).map(orderView);
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/allOrders' },
    ws: 'allOrders',
    security: 'USER_DATA',
    weight: 20,
    run: (c) => {
      const symbol = c.params.required('symbol');
      c.sim.market.spec(symbol);
      const fromId = c.params.integer('orderId');
      const { start, end } = timeRange(c.params);
      const limit = c.params.limit('limit', 500, 1000);
      const matching = c.account.orders.filter(
        (o) =>
          o.symbol === symbol &&
          (fromId === undefined || o.orderId >= fromId) &&
          (start === undefined || o.time >= start) &&
          (end === undefined || o.time <= end),
      );
      // With orderId (or startTime) the page starts there; otherwise the most recent orders.
      const page = fromId !== undefined || start !== undefined ? matching.slice(0, limit) : matching.slice(-limit);
      return page.map(orderView);
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/myTrades' },
    ws: 'myTrades',
    security: 'USER_DATA',
    weight: (p) => (p.has('orderId') ? 5 : 20),
    run: (c) => {
      const p = c.params;
      const symbol = p.required('symbol');
      c.sim.market.spec(symbol);
      const orderId = p.integer('orderId');
      const fromId = p.integer('fromId');
      const { start, end } = timeRange(p);
      if (fromId !== undefined && (start !== undefined || end !== undefined)) throw errors.badCombination();
      if (orderId !== undefined && (start !== undefined || end !== undefined)) throw errors.badCombination();
      const limit = p.limit('limit', 500, 1000);
      const matching = c.account.trades.filter(
        (t) =>
          t.symbol === symbol &&
          (orderId === undefined || t.orderId === orderId) &&
          (fromId === undefined || t.id >= fromId) &&
          (start === undefined || t.time >= start) &&
          (end === undefined || t.time <= end),
      );
      const page = fromId !== undefined || start !== undefined ? matching.slice(0, limit) : matching.slice(-limit);
      return page.map(tradeView);
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/myPreventedMatches' },
    ws: 'myPreventedMatches',
    security: 'USER_DATA',
    weight: (p) => (p.has('orderId') ? 20 : 2),
    run: (c) => {
      const p = c.params;
      const symbol = p.required('symbol');
      c.sim.market.spec(symbol);
      const id = p.integer('preventedMatchId');
      const orderId = p.integer('orderId');
      const fromId = p.integer('fromPreventedMatchId');
      // The supported combinations: symbol + preventedMatchId, or symbol + orderId (+ fromPreventedMatchId, limit).
      if ((id === undefined) === (orderId === undefined)) throw errors.badCombination();
      if (id !== undefined && (fromId !== undefined || p.has('limit'))) throw errors.badCombination();
      const limit = p.limit('limit', 500, 1000);
      const mine = c.account.prevented.filter((m) => m.symbol === symbol);
      const list =
        id !== undefined
          ? mine.filter((m) => m.preventedMatchId === id)
          : mine.filter(
              (m) => (m.takerOrderId === orderId || m.makerOrderId === orderId) && (fromId === undefined || m.preventedMatchId >= fromId),
            );
      return list.slice(0, limit).map(preventedView);
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/rateLimit/order' },
    ws: 'account.rateLimits.orders',
    security: 'USER_DATA',
    weight: 40,
    run: (c) => {
      const counts = c.sim.exchange.orderCounter.counts(c.account.apiKey, c.now);
      return [
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: c.sim.limits.ordersPer10s, count: counts.tenSeconds },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: c.sim.limits.ordersPerDay, count: counts.day },
      ];
    },
  },
  {
    rest: { method: 'GET', path: '/api/v3/account/commission' },
    ws: 'account.commission',
    security: 'USER_DATA',
    weight: 20,
    run: (c) => {
      const spec = c.sim.market.spec(c.params.required('symbol'));
      const r = commissionRates(c.sim, c.account);
      return {
        symbol: spec.symbol,
        standardCommission: r.standard,
        specialCommission: r.special,
        taxCommission: r.tax,
        discount: r.discount,
      };
    },
  },
];
