// The executor: one durable consumer per partition over the order events. A placed order goes to
// the venue, a cancel request goes to the venue, and every answer is recorded as events through
// the decider. Orders run concurrently, but the events of one order are handled strictly in order.
// A message is acked when its work is recorded, nak'ed with a delay when the venue asks us to wait
// (a bare nak would burn through redeliveries), and left to redelivery if the process dies.
import {
  decodeCommit,
  type EventStore,
  PartitionedConsumer,
  type PartitionWorker,
  PoisonMessageError,
  type RecordedEvent,
  ScopeRepository,
  type Logger,
} from '@blotter/eventstore';
import { type OrderState, orderScope } from '@blotter/orders';
import { type OrderEvent, partitionOf } from '@blotter/schemas';
import { AckPolicy, DeliverPolicy, type JsMsg, nanos } from 'nats';
import { followsBalances, VenueBalances } from './balances.ts';
import { cancelAtVenue } from './cancel.ts';
import { RestingOrders } from './follow.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { OpenOrderIndex } from './open-orders.ts';
import { Reconciler } from './reconcile.ts';
import type { Ledger, OrderRef } from './record.ts';
import { type SubmitDeps, type SubmitResult, submitPlacedOrder } from './submit.ts';
import type { VenueRegistry } from './venues.ts';

export interface ExecutorOptions {
  store: EventStore;
  venues: VenueRegistry;
  recvWindowMs: number;
  /** Partitions to work on; all by default. Ignored when `leases` is given. */
  partitions?: readonly number[];
  /** Share the partitions with other executors through leases (see PartitionLeases). */
  leases?: { instanceId: string; ttlMs?: number };
  /** Orders handled at the same time (each waits on the venue). */
  maxInFlight: number;
  /** Redelivery delay for a message whose handler died, ms; longer than the slowest venue wait. */
  ackWaitMs: number;
  pollMs: number;
  /** Reconciliation period, ms (it also runs once at start). */
  reconcileMs?: number;
  log: Logger;
}

export interface ExecutorStats {
  submitted: number;
  canceled: number;
  retried: number;
  failed: number;
  resting: number;
}

export class Executor {
  /** Each order's own subject as a scope: every venue report is decided and recorded through it. */
  readonly orders: ScopeRepository<OrderState, OrderEvent>;
  private readonly ledger: Ledger;
  private readonly queue: KeyedQueue;
  private readonly resting: RestingOrders;
  readonly reconciler: Reconciler;
  readonly balances: VenueBalances;
  private accountsTimer: NodeJS.Timeout | null = null;
  private readonly deps: SubmitDeps;
  private readonly consumer: PartitionedConsumer;
  /** The open orders of each partition held, followed from the stream. */
  private readonly openOrders = new Map<number, OpenOrderIndex>();
  readonly stats: ExecutorStats = { submitted: 0, canceled: 0, retried: 0, failed: 0, resting: 0 };

  constructor(private readonly o: ExecutorOptions) {
    this.orders = new ScopeRepository<OrderState, OrderEvent>(o.store, orderScope, {
      scopeOf: (subject) => subject,
      log: o.log,
    });
    this.ledger = { orders: this.orders, closed: (ref, venue) => void this.balances.afterClose(ref.userId, venue) };
    this.queue = new KeyedQueue(o.maxInFlight);
    this.deps = { ledger: this.ledger, venues: o.venues, recvWindowMs: o.recvWindowMs, log: o.log };
    this.balances = new VenueBalances({
      store: o.store,
      reconcile: () => void this.reconciler.runOnce(),
      clientFor: (userId, venue) => o.venues.forUser(userId, venue),
      log: o.log,
    });
    this.resting = new RestingOrders({
      balances: this.balances,
      ledger: this.ledger,
      venues: o.venues,
      subjectOf: (u, id) => o.store.subjects.order(u, id),
      pollMs: o.pollMs,
      log: o.log,
    });
    this.reconciler = new Reconciler({
      deps: this.deps,
      subjectOf: (u, id) => o.store.subjects.order(u, id),
      openOrders: () => [...this.openOrders.values()].flatMap((index) => index.list(true)),
      intervalMs: o.reconcileMs ?? 60_000,
      missesBeforeExpiry: 3,
    });
    this.consumer = new PartitionedConsumer({
      store: o.store,
      group: 'executor',
      ...(o.partitions ? { partitions: o.partitions } : {}),
      ...(o.leases ? { leases: o.leases } : {}),
      maxMessages: o.maxInFlight * 2,
      open: (p, name) => this.openPartition(p, name),
      log: o.log,
    });
  }

  consumerName(partition: number): string {
    return this.consumer.consumerName(partition);
  }

  async start(): Promise<void> {
    this.resting.start();
    await this.consumer.start();
    await this.reconciler.runOnce();
    this.reconciler.start();
    await this.followVenueAccounts();
    this.accountsTimer = setInterval(() => void this.followVenueAccounts(), this.o.pollMs);
    this.accountsTimer.unref();
    this.o.log.info({ partitions: this.activePartitions() }, 'executor started');
  }

  async stop(): Promise<void> {
    if (this.accountsTimer) clearInterval(this.accountsTimer);
    await this.consumer.stop();
    await this.queue.idle();
    await this.reconciler.stop();
    await this.resting.stop();
  }

  /**
   * Follows the user-data stream of every user of this executor's partitions who trades on a venue
   * whose balances are followed, open orders or not: their deposits and withdrawals are recorded as
   * they happen. Users who store keys later are found by the next pass.
   */
  private async followVenueAccounts(): Promise<void> {
    try {
      const mine = new Set(this.activePartitions());
      for (const venue of ['binance-testnet'] as const) {
        if (!followsBalances(venue)) continue;
        for (const userId of await this.o.venues.usersOn(venue))
          if (mine.has(partitionOf(userId, this.o.store.partitions))) this.resting.follow(userId, venue);
      }
    } catch (err) {
      this.o.log.warn({ err: String(err) }, 'could not list the venue accounts to follow; the next pass retries');
    }
  }

  /** Partitions this executor works on now (all, a fixed list, or those it holds leases for). */
  activePartitions(): number[] {
    return this.consumer.partitions();
  }

  private async openPartition(partition: number, name: string): Promise<PartitionWorker> {
    const { store } = this.o;
    const exists = await store.jsm.consumers.info(store.streams.events, name).catch(() => null);
    if (!exists) {
      await store.jsm.consumers.add(store.streams.events, {
        durable_name: name,
        filter_subject: store.subjects.partitionOrderEvents(partition),
        ack_policy: AckPolicy.Explicit,
        // Every order ever placed is considered: one placed while no executor ran is still sent.
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(this.o.ackWaitMs),
        max_ack_pending: this.o.maxInFlight * 4,
        max_deliver: -1,
      });
    }
    const openOrders = new OpenOrderIndex(store, partition, this.o.log);
    await openOrders.start();
    this.openOrders.set(partition, openOrders);
    // The venue may have moved on while no executor held this partition: follow its open orders.
    for (const o of openOrders.list(true)) this.resting.track(this.ref(o.userId, o.orderId, null), o.symbol, o.venue);
    return {
      sink: () => ({ push: (msg) => this.dispatch(msg) }),
      close: async () => {
        await openOrders.stop();
        this.openOrders.delete(partition);
        this.resting.untrackWhere((ref) => partitionOf(ref.userId, store.partitions) === partition);
      },
    };
  }

  private ref(userId: string, orderId: string, correlationId: string | null): OrderRef {
    return { userId, orderId, subject: this.o.store.subjects.order(userId, orderId), correlationId };
  }

  private async dispatch(msg: JsMsg): Promise<void> {
    let events: RecordedEvent[];
    try {
      events = decodeCommit(msg.seq, msg.subject, new Date(), msg.data).events;
    } catch (err) {
      // Not an order commit the executor can act on; the projector dead-letters it.
      if (err instanceof PoisonMessageError) return msg.term(err.message);
      throw err;
    }
    const actionable = events.filter((e) => e.type === 'OrderPlaced' || e.type === 'OrderCancelRequested');
    const first = actionable[0];
    if (!first) return msg.ack();
    await this.queue.push(first.aggregateId, async () => {
      const keepAlive = setInterval(() => msg.working(), Math.max(1000, this.o.ackWaitMs / 3));
      try {
        for (const event of actionable) {
          const result = await this.handle(event, msg.info.redelivered);
          if (result.kind === 'retry') {
            this.stats.retried++;
            this.o.log.warn(
              { orderId: event.aggregateId, delayMs: result.delayMs, reason: result.reason },
              'venue asked us to wait; message will be redelivered',
            );
            msg.nak(result.delayMs);
            return;
          }
        }
        msg.ack();
      } catch (err) {
        this.stats.failed++;
        this.o.log.error({ err: String(err), seq: msg.seq }, 'executing an order failed; it will be redelivered');
        msg.nak(5000);
      } finally {
        clearInterval(keepAlive);
      }
    });
  }

  private async handle(event: RecordedEvent, redelivered: boolean): Promise<SubmitResult> {
    const ref = this.ref(event.userId, event.aggregateId, event.correlationId);
    if (event.type === 'OrderPlaced') {
      const result = await submitPlacedOrder(this.deps, ref, redelivered, event.eventId);
      if (result.kind === 'done') {
        this.stats.submitted++;
        if (result.open) this.resting.track(ref, event.data.symbol, event.data.venue);
      }
      return result;
    }
    const result = await cancelAtVenue(this.deps, ref, event.eventId);
    if (result.kind === 'done') {
      this.stats.canceled++;
      this.resting.untrack(ref.orderId);
    }
    return result;
  }

  snapshot(): ExecutorStats & { reconciled: number; reconciledExpired: number; strays: number } {
    const r = this.reconciler.stats;
    return { ...this.stats, resting: this.resting.size, reconciled: r.recorded, reconciledExpired: r.expired, strays: r.strays };
  }
}
