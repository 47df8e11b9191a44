// One durable pull consumer per partition of the event stream, for a consumer group (the
// projector, the executor): which partitions this instance works on (a fixed list, or those it
// holds leases for, see PartitionLeases), one loop per partition, and stopping.
//
// Recovery contract of a partition's loop:
//  - the messages end (the partition is stopped or handed over): the sink finishes what it took;
//  - the consumer fails (NATS unavailable, the consumer deleted, the sink throws): the sink stops
//    taking and finishes what it holds, the loop waits a backoff, `reopen` runs (the group may
//    recreate its consumer from its own cursor) and the loop pulls again;
//  - a closed connection means the process is shutting down: the loop ends;
//  - killed at any point: what was not acked is redelivered by the server after ack_wait.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumerMessages, JsMsg } from 'nats';
import { type Backoff, backoffDelay } from './backoff.ts';
import type { EventStore } from './event-store.ts';
import { PartitionLeases } from './leases.ts';
import type { Logger } from './logger.ts';

/** Takes one pass of a partition's messages. */
export interface MessageSink {
  /** Takes a message; resolves when the loop may pull the next (backpressure); throws to reopen. */
  push(msg: JsMsg): Promise<void>;
  /** The messages ended: waits for what was pushed; throws like push. */
  drain?(): Promise<void>;
  /** Take nothing more: what is held unacked is redelivered to whoever runs next. */
  stop?(): void;
}

/** What a group does with one of its partitions while it holds it. */
export interface PartitionWorker {
  /** A fresh sink for each pass over the consumer (a pass ends with a failure or a stop). */
  sink(): MessageSink;
  /** Runs before pulling again after a failure (e.g. recreate the consumer from a checkpoint). */
  reopen?(): Promise<void>;
  /** The partition's loop has ended: release what `open` took. */
  close?(): Promise<void>;
}

export interface PartitionedConsumerOptions {
  store: EventStore;
  /** Lease group and durable consumer prefix: one consumer `<group>-p<n>` per partition. */
  group: string;
  /** Partitions to work on; all by default. Ignored when `leases` is given. */
  partitions?: readonly number[];
  /** Share the partitions with the group's other instances through leases. */
  leases?: { instanceId: string; ttlMs?: number };
  /** Messages pulled at a time per partition. */
  maxMessages: number;
  /** Takes a partition on: ensures its durable consumer (named `consumer`) and its state. */
  open(partition: number, consumer: string): Promise<PartitionWorker>;
  /** Between reopenings of a failed consumer. */
  backoff?: Backoff;
  log: Logger;
}

interface Loop {
  stopping: boolean;
  iterator: ConsumerMessages | null;
  sink: MessageSink | null;
  done: Promise<void>;
}

const DEFAULT_BACKOFF: Backoff = { initialMs: 200, maxMs: 10_000 };

export class PartitionedConsumer {
  private readonly loops = new Map<number, Loop>();
  private leases: PartitionLeases | null = null;
  private stopping = false;

  constructor(private readonly o: PartitionedConsumerOptions) {}

  consumerName(partition: number): string {
    return `${this.o.group}-p${partition}`;
  }

  /** Partitions worked on now, ascending. */
  partitions(): number[] {
    return [...this.loops.keys()].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    const { leases, store } = this.o;
    if (!leases) {
      for (const p of this.o.partitions ?? Array.from({ length: store.partitions }, (_, i) => i)) await this.startPartition(p);
      return;
    }
    this.leases = new PartitionLeases({
      store,
      group: this.o.group,
      instanceId: leases.instanceId,
      ...(leases.ttlMs ? { ttlMs: leases.ttlMs } : {}),
      onAcquire: (p) => this.startPartition(p),
      onRelease: (p) => this.stopPartition(p),
      log: this.o.log,
    });
    await this.leases.start();
  }

  /** Hands the leases back and waits for every partition's loop to end. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.leases) await this.leases.stop();
    await Promise.allSettled(this.partitions().map((p) => this.stopPartition(p)));
  }

  private async startPartition(partition: number): Promise<void> {
    if (this.loops.has(partition)) return;
    const worker = await this.o.open(partition, this.consumerName(partition));
    const loop: Loop = { stopping: false, iterator: null, sink: null, done: Promise.resolve() };
    this.loops.set(partition, loop);
    loop.done = this.run(partition, loop, worker)
      .then(() => worker.close?.())
      .catch((err) => this.o.log.warn({ err: String(err), group: this.o.group, partition }, 'closing a partition failed'));
  }

  private async stopPartition(partition: number): Promise<void> {
    const loop = this.loops.get(partition);
    if (!loop) return;
    loop.stopping = true;
    loop.iterator?.stop();
    loop.sink?.stop?.();
    await loop.done;
    this.loops.delete(partition);
  }

  private async run(partition: number, loop: Loop, worker: PartitionWorker): Promise<void> {
    const { store } = this.o;
    const stopped = () => loop.stopping || this.stopping;
    let failures = 0;
    while (!stopped()) {
      try {
        if (failures > 0) await worker.reopen?.();
        const consumer = await store.js.consumers.get(store.streams.events, this.consumerName(partition));
        const messages = await consumer.consume({ max_messages: this.o.maxMessages });
        loop.iterator = messages;
        // Stopped while the consumer was being opened: stopPartition found no iterator to stop.
        if (stopped()) messages.stop();
        const sink = worker.sink();
        loop.sink = sink;
        for await (const msg of messages) {
          if (stopped()) break;
          await sink.push(msg);
          failures = 0;
        }
        await sink.drain?.();
        loop.iterator = null;
        loop.sink = null;
      } catch (err) {
        // What the sink holds finishes (or is abandoned unacked) before the consumer is reopened.
        loop.sink?.stop?.();
        await loop.sink?.drain?.().catch(() => {});
        loop.sink = null;
        // A closed (not merely disconnected) connection means the process is shutting down.
        if (stopped() || store.nc.isClosed()) break;
        failures++;
        this.o.log.error({ err: String(err), group: this.o.group, partition, failures }, 'partition consumer failed; reopening');
        await sleep(backoffDelay(failures - 1, this.o.backoff ?? DEFAULT_BACKOFF));
      }
    }
  }
}
