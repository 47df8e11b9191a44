// NATS and the event store: one connection, the streams ensured at start, the order aggregate
// repository (with its cache) shared by every request. Drained on close, so in-flight publishes
// finish before the process exits.
import { AggregateRepository, connectNats, defaultStreamOptions, EventStore } from '@blotter/eventstore';
import { type ExistingOrder, orderAggregate, type OrderState } from '@blotter/orders';
import type { OrderEvent } from '@blotter/schemas';
import fp from 'fastify-plugin';
import type { NatsConnection } from 'nats';

declare module 'fastify' {
  interface FastifyInstance {
    nc: NatsConnection;
    store: EventStore;
    orders: AggregateRepository<OrderState, OrderEvent>;
  }
}

export type { ExistingOrder };

export default fp<{ url: string; namespace: string }>(
  async (app, { url, namespace }) => {
    const nc = await connectNats(url, 'blotter-gateway');
    const store = await EventStore.open(nc, defaultStreamOptions(namespace));
    app.decorate('nc', nc);
    app.decorate('store', store);
    app.decorate('orders', new AggregateRepository(store, orderAggregate));
    app.addHook('onClose', async () => {
      if (!nc.isClosed()) await nc.drain();
    });
  },
  { name: 'nats' },
);
