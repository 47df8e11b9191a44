// Trades, positions and balances of the caller, each with the version it reflects.
import { channelVersion, listBalances, listPositions, listTrades, withMark } from '@blotter/read-models';
import { BalanceList, ListTradesQuery, PositionList, TradeList } from '@blotter/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const security = [{ bearer: [] }];
  const version = (userId: string, channel: string) => channelVersion(app.db, app.readSchema, userId, channel);

  app.get(
    '/api/trades',
    { schema: { tags: ['portfolio'], security, querystring: ListTradesQuery, response: { 200: TradeList } } },
    async (request) => {
      const userId = request.user.sub;
      const [trades, v] = await Promise.all([listTrades(app.db, app.readSchema, { ...request.query, userId }), version(userId, 'trades')]);
      return { trades, version: v };
    },
  );

  app.get('/api/positions', { schema: { tags: ['portfolio'], security, response: { 200: PositionList } } }, async (request) => {
    const userId = request.user.sub;
    const [rows, v] = await Promise.all([listPositions(app.db, app.readSchema, userId), version(userId, 'positions')]);
    return { positions: rows.map((r) => withMark(r, app.market.markPrice(r.symbol))), version: v };
  });

  app.get('/api/balances', { schema: { tags: ['portfolio'], security, response: { 200: BalanceList } } }, async (request) => {
    const userId = request.user.sub;
    const [rows, v] = await Promise.all([listBalances(app.db, app.readSchema, userId), version(userId, 'balances')]);
    return { balances: rows.map(({ asset, free, locked }) => ({ asset, free, locked })), version: v };
  });
};

export default routes;
