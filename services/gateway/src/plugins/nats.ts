// NATS and the event store: one connection, the streams ensured at start, and the account
// repository every command of a user goes through (one optimistic-concurrency check over all of the
// user's events, with the user's state kept in memory and kept current by following every user's
// subjects, so an executor's fill is folded before the user's next order needs it instead of costing
// that order a lost race). Drained on close, so in-flight publishes finish before the process exits.
import { connectNats, defaultStreamOptions, EventStore, ScopeRepository, type StreamSizing } from '@blotter/eventstore';
import { type AccountState, type AlertsState, accountAggregate, alertsAggregate } from '@blotter/orders';
import { type DomainEvent, parseEventSubject } from '@blotter/schemas';
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
    const accountRepo = ScopeRepository.forUsers<AccountState, DomainEvent>(store, accountAggregate, { log: app.log });
    await accountRepo.followAll(store.subjects.allEvents, (subject) => parseEventSubject(subject)?.userId ?? null);
    app.decorate('accountRepo', accountRepo);
    app.decorate('alertRepo', ScopeRepository.forUsers<AlertsState, DomainEvent>(store, alertsAggregate, { log: app.log }));
    app.addHook('onClose', async () => {
      await accountRepo.close();
      if (!nc.isClosed()) await nc.drain();
    });
  },
  { name: 'nats' },
);
