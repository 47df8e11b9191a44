import { CandleList, CandlesQuery, ErrorResponse, SymbolList, SymbolParams, Ticker } from '@blotter/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../errors.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const security = [{ bearer: [] }];

  app.get('/api/market/symbols', { schema: { tags: ['market'], security, response: { 200: SymbolList } } }, () => app.market.symbols());

  const known = async (symbol: string) => {
    if (!(await app.market.symbol(symbol))) throw new HttpError('NOT_FOUND', `unknown symbol ${symbol}`);
  };

  app.get(
    '/api/market/:symbol/candles',
    {
      schema: {
        tags: ['market'],
        security,
        params: SymbolParams,
        querystring: CandlesQuery,
        response: { 200: CandleList, 404: ErrorResponse },
      },
    },
    async (request) => {
      await known(request.params.symbol);
      return app.market.candles(request.params.symbol, request.query.interval ?? '1m', request.query.limit ?? 500);
    },
  );

  app.get(
    '/api/market/:symbol/ticker',
    { schema: { tags: ['market'], security, params: SymbolParams, response: { 200: Ticker, 404: ErrorResponse } } },
    async (request) => {
      await known(request.params.symbol);
      const ticker = await app.market.ticker(request.params.symbol);
      if (!ticker) throw new HttpError('SERVICE_UNAVAILABLE', `no price for ${request.params.symbol} yet`);
      return ticker;
    },
  );
};

export default routes;
