import { subjects } from '@blotter/schemas';
import fp from 'fastify-plugin';
import { MarketData } from './market-data.ts';

declare module 'fastify' {
  interface FastifyInstance {
    market: MarketData;
  }
}

export default fp(
  async (app) => {
    const market = new MarketData(app.nc, subjects(app.store.namespace, app.store.partitions));
    market.start();
    app.decorate('market', market);
    app.addHook('onClose', () => market.stop());
  },
  { name: 'market', dependencies: ['nats'] },
);
