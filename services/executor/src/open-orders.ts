// The open orders of one partition, as the executor needs them to follow resting orders and to
// reconcile with the venue: folded from the partition's order events by `evolveOrder` (the rule
// every other reader applies), kept current by following the stream, and saved now and then as a
// snapshot so a restart reads only what came after it. Never read from a read model: the executor
// must work whatever state the projector is in.
import { type EventStore, type Follower, follow, SnapshotStore, type StoredCommit, type Logger } from '@blotter/eventstore';
import { evolveOrder, type ExistingOrder, isOpen } from '@blotter/orders';
import { isOrderEvent, OrderAggregate } from '@blotter/schemas';
import Type from 'typebox';
import { Compile } from 'typebox/compile';

const OpenOrdersState = Compile(Type.Array(OrderAggregate));
/** Raise when the meaning of the saved list changes: older snapshots are then ignored. */
const FORMAT = 1;

export class OpenOrderIndex {
  private readonly orders = new Map<string, ExistingOrder>();
  private seq = 0;
  private unsaved = 0;
  private follower: Follower | null = null;
  private readonly snapshots: SnapshotStore;
  private readonly key: string;

  constructor(
    private readonly store: EventStore,
    readonly partition: number,
    private readonly log: Logger,
    /** A snapshot is saved once this many commits were folded since the last one. */
    private readonly saveEvery = 1000,
  ) {
    this.snapshots = new SnapshotStore(store);
    this.key = `executor.open-orders.p${partition}`;
  }

  /** Loads the last snapshot and follows the stream from there; resolves once caught up. */
  async start(): Promise<void> {
    await this.restore();
    this.follower = await follow(this.store, this.store.subjects.partitionOrderEvents(this.partition), this.seq, (c) => this.apply(c), {
      onPoison: (err) =>
        this.log.warn({ partition: this.partition, err: err.message }, 'open-order index skips a message that is not a commit'),
      onEnd: (err) => this.log.error({ partition: this.partition, err: String(err) }, 'open-order index stopped following the stream'),
    });
    await this.follower.caughtUp;
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
    this.follower = null;
  }

  /** Open orders now, optionally only those the venue has acknowledged (not PENDING_NEW). */
  list(acknowledgedOnly = false): ExistingOrder[] {
    const all = [...this.orders.values()];
    return acknowledgedOnly ? all.filter((o) => o.status !== 'PENDING_NEW') : all;
  }

  private apply(commit: StoredCommit): void {
    for (const event of commit.events) {
      if (!isOrderEvent(event)) continue;
      const id = event.data.orderId;
      const known = this.orders.get(id);
      // Events of orders that closed before this index began (or a denial) open nothing.
      if (!known && event.type !== 'OrderPlaced') continue;
      const next = evolveOrder(known ?? { status: 'NONE' }, event, { seq: commit.seq, occurredAt: event.occurredAt });
      if (next.status !== 'NONE' && isOpen(next)) this.orders.set(id, next);
      else this.orders.delete(id);
    }
    this.seq = commit.seq;
    if (++this.unsaved >= this.saveEvery) this.save();
  }

  private async restore(): Promise<void> {
    const snapshot = await this.snapshots.get(this.key).catch(() => null);
    if (!snapshot || snapshot.format !== FORMAT || !OpenOrdersState.Check(snapshot.state)) return;
    for (const order of snapshot.state) this.orders.set(order.orderId, order);
    this.seq = snapshot.seq;
  }

  private save(): void {
    this.unsaved = 0;
    const snapshot = { format: FORMAT, seq: this.seq, state: this.list(), heads: {} };
    this.snapshots
      .put(this.key, snapshot)
      .catch((err) => this.log.warn({ partition: this.partition, err: String(err) }, 'could not save the open-order index'));
  }
}
