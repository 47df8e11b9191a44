// Builds the simulator's HTTP + WebSocket app over a Simulator. Listening is server.ts's job (or
// startSimulator's), so tests can build the app without a port.
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandler } from './http/error-handler.ts';
import { installFaultHooks, installWeightHeaders } from './http/fault-hooks.ts';
import { accountRoutes } from './http/routes/account.ts';
import { adminRoutes } from './http/routes/admin.ts';
import { generalRoutes } from './http/routes/general.ts';
import { marketRoutes } from './http/routes/market.ts';
import { tradeRoutes } from './http/routes/trade.ts';
import type { Simulator } from './simulator.ts';
import { attachWebSockets } from './ws/attach.ts';
import { WsApi } from './ws/ws-api.ts';

export interface AppOptions {
  logger?: boolean;
}

export function buildApp(sim: Simulator, options: AppOptions = {}): FastifyInstance {
  // Close kept-alive sockets on shutdown: a client that gave up on a delayed answer must not hold close() open.
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  // Binance signs the form body as sent, so keep it as the raw string instead of parsing it.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  installErrorHandler(app);
  installFaultHooks(app, sim);
  installWeightHeaders(app, () => sim.now());
  const wsApi = new WsApi(sim);
  attachWebSockets(app, sim, wsApi);
  app.register(generalRoutes, { sim });
  app.register(marketRoutes, { sim });
  app.register(tradeRoutes, { sim });
  app.register(accountRoutes, { sim });
  app.register(adminRoutes, { sim, wsApi });
  app.addHook('onClose', async () => sim.stop());
  return app;
}
