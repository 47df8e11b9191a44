import type { FastifyPluginAsync } from 'fastify';
import type { Simulator } from '../../simulator.ts';
import { exchangeInfo } from '../exchange-info.ts';
import { paramsOf } from '../request-params.ts';
import { selectSymbols } from '../symbols-param.ts';

export const generalRoutes: FastifyPluginAsync<{ sim: Simulator }> = async (app, { sim }) => {
  app.get('/api/v3/ping', async () => ({}));
  app.get('/api/v3/time', async () => ({ serverTime: sim.now() }));
  app.get('/api/v3/exchangeInfo', async (req) => exchangeInfo(selectSymbols(paramsOf(req), sim.market).specs, sim.now()));
};
