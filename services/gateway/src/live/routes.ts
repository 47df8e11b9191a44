import type { FastifyPluginAsync } from 'fastify';
import { LiveHub } from './hub.ts';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
  }
}

const routes: FastifyPluginAsync = async (app) => {
  const hub = new LiveHub(app);
  hub.start();
  app.decorate('live', hub);
  app.addHook('onClose', () => hub.stop());
  app.route({
    method: 'GET',
    url: '/api/ws',
    schema: { hide: true },
    // A plain GET (no upgrade) gets a clear answer instead of an empty 404.
    handler: async (_request, reply) =>
      reply
        .status(400)
        .send({ error: { code: 'VALIDATION_FAILED', message: 'GET /api/ws is a WebSocket endpoint: send an upgrade request' } }),
    wsHandler: (socket, request) => hub.attach(socket, request),
  });
};

export default routes;
