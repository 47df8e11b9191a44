// NATS and the event store: one connection, the streams ensured at start, and the account
// repository every command of a user goes through (one optimistic-concurrency check over all of the
// user's events, with the user's state kept in memory). Drained on close, so in-flight publishes
// finish before the process exits.
import { connectNats, defaultStreamOptions, EventStore, ScopeRepository, type StreamSizing } from '@blotter/eventstore';
import { type AccountState, type AlertsState, accountAggregate, alertsAggregate } from '@blotter/orders';
import type { DomainEvent } from '@blotter/schemas';
import fp from 'fastify-plugin';
import type { NatsConnection } from 'nats';

declare module 'fastify' {
  interface FastifyInstance {
    nc: NatsConnection;
    store: EventStore;
    /** Users' account aggregates: the write side's only source of truth for a decision. */
    accountRepo: ScopeRepository<AccountState, DomainEvent>;
    /** Users' price alerts: decided over the same scope as the account, under the same check. */
    alertRepo: ScopeRepository<AlertsState, DomainEvent>;
  }
}

export default fp<{ url: string; namespace: string; sizing: StreamSizing }>(
  async (app, { url, namespace, sizing }) => {
    const nc = await connectNats(url, 'blotter-gateway');
    const store = await EventStore.open(nc, defaultStreamOptions(namespace, sizing));
    app.decorate('nc', nc);
    app.decorate('store', store);
    app.decorate('accountRepo', ScopeRepository.forUsers<AccountState, DomainEvent>(store, accountAggregate, { log: app.log }));
    app.decorate('alertRepo', ScopeRepository.forUsers<AlertsState, DomainEvent>(store, alertsAggregate, { log: app.log }));
    app.addHook('onClose', async () => {
      if (!nc.isClosed()) await nc.drain();
    });
  },
  { name: 'nats' },
);
