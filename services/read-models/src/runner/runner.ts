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
//  - NATS unavailable or the consumer lost: the loop re-opens the consumer from the checkpoint after
//    a backoff (the partition loop itself is PartitionedConsumer's, shared with the executor).
//  - Killed at any point: unacked messages are redelivered after ack_wait and skipped if their
//    sequence is at or below the committed checkpoint, so nothing is applied twice.
//  - Read models built from another stream (stream-identity.ts): `start` refuses them with
//    StreamMismatchError; found mid-run (a reset from another stream's stack), the runner stops
//    and reports it through `onFatal` rather than mix two histories.
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore, Logger, PartitionWorker, StoredCommit } from '@blotter/eventstore';
import { backoffDelay, decodeCommit, PartitionedConsumer, PoisonMessageError } from '@blotter/eventstore';
import { type Kysely, sql } from 'kysely';
import type { JsMsg } from 'nats';
import { claimCheckpoints, ensureCheckpoints, lockCheckpoints, readCheckpoints, saveCheckpoints } from '../checkpoints.ts';
import { isTransientDbError, type ReadModelTables } from '../db.ts';
import type { AnyReadModel } from '../read-model.ts';
import { StreamMismatchError, streamIdentity } from '../stream-identity.ts';
import { applyBatch, type ChannelChange } from './apply-batch.ts';
import { Batcher } from './batcher.ts';
import { openConsumer } from './consumer.ts';
import { deadLetter } from './dead-letter.ts';

export interface RunnerOptions {
  store: EventStore;
  db: Kysely<ReadModelTables>;
  /** Postgres schema holding the read models. */
  schema: string;
  models: readonly AnyReadModel[];
  /** Consumer name prefix; one durable consumer `<group>-p<n>` per partition. */
  group: string;
  /** Partitions this runner serves; defaults to all. Ignored when `leases` is given. */
  partitions?: readonly number[];
  /** Share the partitions with other instances of the group through leases (see PartitionLeases). */
  leases?: { instanceId: string; ttlMs?: number };
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
  /**
   * Called once the runner has stopped because the read models now belong to another stream (reset
   * from elsewhere while it ran). The process cannot go on projecting: exit and say why.
   */
  onFatal?: (err: StreamMismatchError) => void;
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

/** Retrying a batch or a dead letter while Postgres is unavailable. */
const DB_RETRY = { initialMs: 250, maxMs: 15_000 };

export class ProjectionRunner {
  private stopping = false;
  private readonly consumer: PartitionedConsumer;
  private readonly stats = new Map<number, PartitionStats>();
  /** The stream this runner reads (StreamIdentity.key), known after `start`. */
  private stream: string | null = null;
  private fatalError: StreamMismatchError | null = null;
  private readonly o: Required<Omit<RunnerOptions, 'onChanges' | 'onFatal' | 'partitions' | 'leases'>> &
    Pick<RunnerOptions, 'onChanges' | 'onFatal' | 'leases'> & { partitions: readonly number[] };

  constructor(options: RunnerOptions) {
    this.o = {
      batchSize: 500,
      ackWaitMs: 30_000,
      poisonAttempts: 3,
      poisonDelayMs: 500,
      ...options,
      partitions: options.partitions ?? Array.from({ length: options.store.partitions }, (_, i) => i),
    };
    this.consumer = new PartitionedConsumer({
      store: this.o.store,
      group: this.o.group,
      partitions: this.o.partitions,
      ...(this.o.leases ? { leases: this.o.leases } : {}),
      maxMessages: this.o.batchSize,
      open: (p) => this.openPartition(p),
      log: this.o.log,
    });
  }

  /** Throws StreamMismatchError, before reading anything, when the read models are another stream's. */
  async start(): Promise<void> {
    const identity = await streamIdentity(this.o.store);
    await claimCheckpoints(this.o.db, this.o.schema, identity);
    this.stream = identity.key;
    await this.consumer.start();
    this.o.log.info(
      { group: this.o.group, partitions: this.activePartitions(), models: this.o.models.map((m) => m.name) },
      'projection runner started',
    );
  }

  /** Stops taking new messages and waits for the batches in flight to commit (or be abandoned). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.stop();
  }

  /** Partitions this runner works on now. */
  activePartitions(): number[] {
    return this.consumer.partitions();
  }

  private async openPartition(partition: number): Promise<PartitionWorker> {
    const { db, schema, models } = this.o;
    await ensureCheckpoints(
      db,
      schema,
      models.map((m) => m.name),
      partition,
      this.stream,
    );
    const lowest = await this.openConsumer(partition);
    if (!this.stats.has(partition))
      this.stats.set(partition, { partition, pending: 0, lastSeq: lowest, batches: 0, events: 0, deadLettered: 0 });
    return {
      sink: () => {
        const batcher = new Batcher<JsMsg>(this.o.batchSize, (batch) => this.process(partition, batch));
        return {
          push: (msg) => {
            const stat = this.stats.get(partition);
            if (stat) stat.pending = msg.info.pending;
            return batcher.push(msg);
          },
          drain: () => batcher.drain(),
          stop: () => batcher.stop(),
        };
      },
      // Reopening after a failure: a fresh consumer from the checkpoint (see consumer.ts).
      reopen: async () => {
        await this.openConsumer(partition);
      },
    };
  }

  /**
   * A fresh consumer for the partition, starting right after the lowest of its read models'
   * checkpoints (each model skips what is at or below its own); returns that checkpoint.
   */
  private async openConsumer(partition: number): Promise<number> {
    const { store, db, schema, models } = this.o;
    const lowest = Math.min(
      ...(await readCheckpoints(db, schema))
        .filter((c) => c.partition === partition && models.some((m) => m.name === c.projection))
        .map((c) => c.seq),
    );
    await openConsumer(store, {
      name: this.consumerName(partition),
      filter: store.subjects.partitionEvents(partition),
      startAfterSeq: lowest,
      ackWaitMs: this.o.ackWaitMs,
      maxAckPending: this.o.batchSize * 4,
    });
    return lowest;
  }

  partitionStats(): PartitionStats[] {
    return [...this.stats.values()].map((s) => ({ ...s }));
  }

  consumerName(partition: number): string {
    return this.consumer.consumerName(partition);
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
          this.stream,
        );
        for (const { msg } of items) msg.ack();
        const stat = this.stats.get(partition);
        if (stat) {
          stat.batches++;
          stat.events += result.applied;
          // Delivery order is not stream order after a redelivery: the highest sequence wins.
          stat.lastSeq = Math.max(stat.lastSeq, ...items.map((i) => i.commit.seq));
        }
        if (result.changes.length > 0) this.o.onChanges?.(result.changes);
        return;
      } catch (err) {
        if (err instanceof StreamMismatchError) throw this.fatal(err);
        // An error the classification does not know is only blamed on the message if the
        // database itself answers: a failure while it is down must never dead-letter a commit.
        if (isTransientDbError(err) || !(await this.databaseAnswers())) {
          if (this.stopping) return; // unacked: redelivered to whoever runs next
          const delay = backoffDelay(attempt, DB_RETRY);
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

  /** Stops everything (once) and reports why; returns the error for the caller to throw. */
  private fatal(err: StreamMismatchError): StreamMismatchError {
    if (this.fatalError) return this.fatalError;
    this.fatalError = err;
    this.o.log.error({ err: err.message }, 'read models belong to another stream; projection stopped');
    // Not awaited: stop() waits for the partition loops, and this runs inside one of them.
    void this.stop().then(() => this.o.onFatal?.(err));
    return err;
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.o.db);
      return true;
    } catch {
      return false;
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
          const current = await lockCheckpoints(trx, schema, names, partition, this.stream);
          await saveCheckpoints(
            trx,
            schema,
            partition,
            new Map(names.map((n) => [n, Math.max(current.get(n) ?? 0, msg.seq)])),
            this.stream,
          );
        });
        msg.ack();
        const stat = this.stats.get(partition);
        if (stat) stat.deadLettered++;
        this.o.log.error({ err: String(err), seq: msg.seq, subject: msg.subject }, 'message dead-lettered');
        return;
      } catch (e) {
        if (e instanceof StreamMismatchError) throw this.fatal(e);
        if (this.stopping) return;
        msg.working();
        await sleep(backoffDelay(attempt, DB_RETRY));
        this.o.log.warn({ err: String(e), seq: msg.seq }, 'could not dead-letter yet; retrying');
      }
    }
  }
}
