// The projection runner: one durable consumer per partition, batches applied in one transaction
// with their checkpoints (see apply-batch.ts), acks sent only after the commit.
//
// Recovery contract of the consume loop:
//  - Postgres unavailable (a transient error): the batch is retried with exponential backoff, its
//    messages kept alive with `working()`, and nothing is acked until it commits. Catching up after
//    an outage is just the next batches.
//  - A commit that cannot be decoded, or whose projection throws for another reason, is isolated
//    (the batch is split down to the single failing message), retried a few times with a delay,
//    then copied to the dead-letter stream; the checkpoint moves past it and the projection goes on.
//  - NATS unavailable or the consumer lost: the loop re-opens the consumer after a backoff.
//  - Killed at any point: unacked messages are redelivered after ack_wait and skipped if their
//    sequence is at or below the committed checkpoint, so nothing is applied twice.
import type { EventStore, StoredCommit } from '@blotter/eventstore';
import { decodeCommit, PoisonMessageError } from '@blotter/eventstore';
import type { Kysely } from 'kysely';
import type { ConsumerMessages, JsMsg } from 'nats';
import { ensureCheckpoints, lockCheckpoints, readCheckpoints, saveCheckpoints } from '../checkpoints.ts';
import { isTransientDbError, type ReadModelTables } from '../db.ts';
import type { AnyReadModel } from '../read-model.ts';
import { applyBatch, type ChannelChange } from './apply-batch.ts';
import { ensureConsumer } from './consumer.ts';
import { deadLetter } from './dead-letter.ts';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RunnerOptions {
  store: EventStore;
  db: Kysely<ReadModelTables>;
  /** Postgres schema holding the read models. */
  schema: string;
  models: readonly AnyReadModel[];
  /** Consumer name prefix; one durable consumer `<group>-p<n>` per partition. */
  group: string;
  /** Partitions this runner serves; defaults to all. */
  partitions?: readonly number[];
  /** Largest batch applied in one transaction. */
  batchSize?: number;
  /** Server redelivery delay for unacked messages, in ms. */
  ackWaitMs?: number;
  /** Tries for a message that fails on its own before it is dead-lettered. */
  poisonAttempts?: number;
  /** Delay between those tries, in ms. */
  poisonDelayMs?: number;
  /** Called after each committed batch with what changed (for live updates). */
  onChanges?: (changes: ChannelChange[]) => void;
  log: Logger;
}

export interface PartitionStats {
  partition: number;
  /** Messages the server still holds for this partition's consumer after the last one delivered. */
  pending: number;
  lastSeq: number;
  batches: number;
  events: number;
  deadLettered: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ProjectionRunner {
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  private readonly iterators = new Set<ConsumerMessages>();
  private readonly stats = new Map<number, PartitionStats>();
  private readonly o: Required<Omit<RunnerOptions, 'onChanges' | 'partitions'>> &
    Pick<RunnerOptions, 'onChanges'> & { partitions: readonly number[] };

  constructor(options: RunnerOptions) {
    this.o = {
      batchSize: 500,
      ackWaitMs: 30_000,
      poisonAttempts: 3,
      poisonDelayMs: 500,
      ...options,
      partitions: options.partitions ?? Array.from({ length: options.store.partitions }, (_, i) => i),
    };
  }

  async start(): Promise<void> {
    const { store, db, schema, models, group } = this.o;
    for (const partition of this.o.partitions) {
      await ensureCheckpoints(
        db,
        schema,
        models.map((m) => m.name),
        partition,
      );
      const lowest = Math.min(
        ...(await readCheckpoints(db, schema))
          .filter((c) => c.partition === partition && models.some((m) => m.name === c.projection))
          .map((c) => c.seq),
      );
      await ensureConsumer(store, {
        name: this.consumerName(partition),
        filter: store.subjects.partitionEvents(partition),
        startAfterSeq: lowest,
        ackWaitMs: this.o.ackWaitMs,
        maxAckPending: this.o.batchSize * 4,
      });
      this.stats.set(partition, { partition, pending: 0, lastSeq: lowest, batches: 0, events: 0, deadLettered: 0 });
      this.loops.push(this.consumeLoop(partition));
    }
    this.o.log.info({ group, partitions: this.o.partitions, models: models.map((m) => m.name) }, 'projection runner started');
  }

  /** Stops taking new messages and waits for the batch in flight to commit (or be abandoned). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const it of this.iterators) it.stop();
    await Promise.allSettled(this.loops);
  }

  partitionStats(): PartitionStats[] {
    return [...this.stats.values()].map((s) => ({ ...s }));
  }

  consumerName(partition: number): string {
    return `${this.o.group}-p${partition}`;
  }

  private async consumeLoop(partition: number): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const consumer = await this.o.store.js.consumers.get(this.o.store.streams.events, this.consumerName(partition));
        const messages = await consumer.consume({ max_messages: this.o.batchSize });
        this.iterators.add(messages);
        let batch: JsMsg[] = [];
        for await (const msg of messages) {
          batch.push(msg);
          const stat = this.stats.get(partition);
          if (stat) stat.pending = msg.info.pending;
          // Flush when nothing else is buffered: small batches when idle (low latency), large
          // batches under load (throughput). getPending() still counts the message being handled.
          if (batch.length >= this.o.batchSize || messages.getPending() <= 1) {
            await this.process(partition, batch);
            batch = [];
            failures = 0;
          }
          if (this.stopping) break;
        }
        this.iterators.delete(messages);
      } catch (err) {
        // A closed (not merely disconnected) connection means the process is shutting down.
        if (this.stopping || this.o.store.nc.isClosed()) break;
        failures++;
        this.o.log.error({ err, partition, failures }, 'consumer loop failed; reopening');
        await sleep(Math.min(10_000, 200 * 2 ** failures));
      }
    }
  }

  private async process(partition: number, msgs: JsMsg[]): Promise<void> {
    let segment: { commit: StoredCommit; msg: JsMsg }[] = [];
    for (const msg of msgs) {
      try {
        const commit = decodeCommit(msg.seq, msg.subject, new Date(Math.floor(msg.info.timestampNanos / 1e6)), msg.data);
        segment.push({ commit, msg });
      } catch (err) {
        if (!(err instanceof PoisonMessageError)) throw err;
        await this.applyWithRetry(partition, segment);
        segment = [];
        await this.poison(partition, msg, err);
      }
      if (this.stopping && segment.length === 0) return;
    }
    await this.applyWithRetry(partition, segment);
  }

  private async applyWithRetry(partition: number, items: { commit: StoredCommit; msg: JsMsg }[]): Promise<void> {
    if (items.length === 0) return;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await applyBatch(
          this.o.db,
          this.o.schema,
          this.o.models,
          partition,
          items.map((i) => i.commit),
        );
        for (const { msg } of items) msg.ack();
        const stat = this.stats.get(partition);
        if (stat) {
          stat.batches++;
          stat.events += result.applied;
          stat.lastSeq = items[items.length - 1]?.commit.seq ?? stat.lastSeq;
        }
        if (result.changes.length > 0) this.o.onChanges?.(result.changes);
        return;
      } catch (err) {
        if (isTransientDbError(err)) {
          if (this.stopping) return; // unacked: redelivered to whoever runs next
          const delay = Math.min(15_000, 250 * 2 ** attempt);
          this.o.log.warn({ err: String(err), partition, attempt, delay }, 'read-model database unavailable; retrying batch');
          for (const { msg } of items) msg.working();
          await sleep(delay);
          continue;
        }
        if (items.length > 1) {
          // Find the culprit: apply one message at a time so the good ones still land.
          for (const item of items) await this.applyWithRetry(partition, [item]);
          return;
        }
        const [only] = items as [{ commit: StoredCommit; msg: JsMsg }];
        if (attempt + 1 < this.o.poisonAttempts) {
          this.o.log.warn({ err: String(err), seq: only.msg.seq, attempt }, 'projection failed; retrying message');
          only.msg.working();
          await sleep(this.o.poisonDelayMs);
          continue;
        }
        await this.poison(partition, only.msg, err);
        return;
      }
    }
  }

  /** Dead-letters one message and moves every checkpoint of the partition past it. */
  private async poison(partition: number, msg: JsMsg, err: unknown): Promise<void> {
    const { db, schema, models, store, group } = this.o;
    for (let attempt = 0; ; attempt++) {
      try {
        await deadLetter(store, group, msg, err);
        await db.transaction().execute(async (trx) => {
          const names = models.map((m) => m.name);
          const current = await lockCheckpoints(trx, schema, names, partition);
          await saveCheckpoints(trx, schema, partition, new Map(names.map((n) => [n, Math.max(current.get(n) ?? 0, msg.seq)])));
        });
        msg.ack();
        const stat = this.stats.get(partition);
        if (stat) stat.deadLettered++;
        this.o.log.error({ err: String(err), seq: msg.seq, subject: msg.subject }, 'message dead-lettered');
        return;
      } catch (e) {
        if (this.stopping) return;
        msg.working();
        await sleep(Math.min(15_000, 250 * 2 ** attempt));
        this.o.log.warn({ err: String(e), seq: msg.seq }, 'could not dead-letter yet; retrying');
      }
    }
  }
}
