import type { FastifyPluginAsync } from 'fastify';
import { fmt8 } from '../../decimal.ts';
import { tradeView } from '../../engine/views.ts';
import { errors } from '../../errors.ts';
import type { Simulator } from '../../simulator.ts';
import { authenticate } from '../auth.ts';

export const accountRoutes: FastifyPluginAsync<{ sim: Simulator }> = async (app, { sim }) => {
  app.get('/api/v3/account', async (req) => {
    const { account, params } = authenticate(sim, req);
    const omitZero = params.string('omitZeroBalances') === 'true';
    const bips = sim.feeRate.times(10_000).toNumber();
    const rate = fmt8(sim.feeRate);
    return {
      makerCommission: bips,
      takerCommission: bips,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: rate, taker: rate, buyer: '0.00000000', seller: '0.00000000' },
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
  });

  app.get('/api/v3/myTrades', async (req) => {
    const { account, params } = authenticate(sim, req);
    const symbol = params.required('symbol');
    sim.market.spec(symbol);
    const orderId = params.integer('orderId');
    const fromId = params.integer('fromId');
    const start = params.integer('startTime');
    const end = params.integer('endTime');
    if (fromId !== undefined && (start !== undefined || end !== undefined)) throw errors.invalidParam('fromId');
    const limit = params.limit('limit', 500, 1000);
    const matching = account.trades.filter(
      (t) =>
        t.symbol === symbol &&
        (orderId === undefined || t.orderId === orderId) &&
        (fromId === undefined || t.id >= fromId) &&
        (start === undefined || t.time >= start) &&
        (end === undefined || t.time <= end),
    );
    const page = fromId !== undefined ? matching.slice(0, limit) : matching.slice(-limit);
    return page.map(tradeView);
  });
};

/** A stable numeric id per account, like Binance's uid. */
const uidOf = (apiKey: string): number => [...apiKey].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000_000, 7);
