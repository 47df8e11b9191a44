// Builds the simulator's HTTP + WebSocket app over a Simulator. Listening is server.ts's job (or
// startSimulator's), so tests can build the app without a port.
import Fastify, { type FastifyInstance } from 'fastify';
import { adminRoutes } from './http/admin-routes.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { installFaultHooks } from './http/fault-hooks.ts';
import { restRoutes } from './http/rest.ts';
import type { Simulator } from './simulator.ts';
import { attachWebSockets } from './ws/attach.ts';
import { WsApi } from './ws/ws-api.ts';

export interface AppOptions {
  logger?: boolean;
}

export function buildApp(sim: Simulator, options: AppOptions = {}): FastifyInstance {
  // Close kept-alive sockets on shutdown: a client that gave up on a delayed answer must not hold close() open.
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  // Every body stays the raw string, whatever its content type: Binance signs the form body as
  // sent, and clients send parameters with `application/json` and an empty body (the official
  // connector) as readily as form-encoded. The admin routes parse their JSON themselves.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  installErrorHandler(app);
  installFaultHooks(app, sim);
  const wsApi = new WsApi(sim);
  attachWebSockets(app, sim, wsApi);
  restRoutes(app, sim);
  app.register(adminRoutes, { sim, wsApi });
  app.addHook('onClose', async () => sim.close());
  return app;
}
