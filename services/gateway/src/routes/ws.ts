import type { FastifyPluginAsync } from 'fastify';
import { LiveHub } from '../live/hub.ts';

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
  app.get('/api/ws', { websocket: true, schema: { hide: true } }, (socket, request) => hub.attach(socket, request));
};

export default routes;
