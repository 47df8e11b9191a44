// The event store over one JetStream stream. An append is one message (a commit) on the aggregate's
// subject, with two server-side guarantees:
//   - Nats-Msg-Id = commit id: a retried append inside the duplicate window is acknowledged as a
//     duplicate instead of written twice;
//   - Nats-Expected-Last-Subject-Sequence: the append only succeeds if nobody else appended to the
//     aggregate since it was read (optimistic concurrency; the caller reloads and decides again).
// Reads never create a consumer per aggregate: direct get by subject walks one aggregate, and an
// ordered consumer streams ranges for replays and rebuilds.
import { DeliverPolicy, ErrorCode, type JetStreamClient, type JetStreamManager, type NatsConnection, NatsError } from 'nats';
import { type DomainEvent, type Subjects, subjects as subjectsFor } from '@blotter/schemas';
import { type CommitMeta, decodeCommit, encodeCommit, type StoredCommit } from './codec.ts';
import { type DirectMessage, directGet } from './direct.ts';
import { isWrongLastSequence, PoisonMessageError } from './errors.ts';
import { type EnsuredStreams, ensureStreams, type StreamOptions } from './streams.ts';

/** One publish attempt waits this long for the stream's ack… */
const APPEND_ATTEMPT_MS = 2_000;
/** …and an append gives up after this long in all (a NATS cluster elects a new leader in seconds). */
const APPEND_DEADLINE_MS = 15_000;

/** No ack: a timeout, or no stream leader to answer (503) during an election or a restart. */
const isUnanswered = (err: unknown) => err instanceof NatsError && (err.code === ErrorCode.Timeout || err.code === ErrorCode.NoResponders);

export interface AppendResult {
  seq: number;
  /** True when the server had already stored this commit id: nothing new was written. */
  duplicate: boolean;
  hash: string;
}

export interface ReadOptions {
  /** Subject filter(s); defaults to every event subject of the namespace. */
  filter?: string | string[];
  /** First stream sequence to read (inclusive). */
  fromSeq?: number;
  /** Start at the first commit stored at or after this time. */
  fromTime?: Date;
  /** Last stream sequence to read (inclusive); defaults to the stream's last sequence at the start. */
  toSeq?: number;
  /** Called after each commit with (seq, lastSeq) so long reads can show progress. */
  onProgress?: (seq: number, lastSeq: number) => void;
  /**
   * Called for a message that is not a valid commit, which is then skipped (as the live projector
   * skips it after dead-lettering it). Without it, such a message throws PoisonMessageError.
   */
  onPoison?: (error: PoisonMessageError) => void;
}

export class EventStore {
  readonly subjects: Subjects;

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly namespace: string,
    readonly streams: EnsuredStreams,
  ) {
    this.subjects = subjectsFor(namespace, streams.partitions);
  }

  /** Ensures the streams exist and returns a store bound to them. */
  static async open(nc: NatsConnection, options: StreamOptions): Promise<EventStore> {
    const jsm = await nc.jetstreamManager();
    const streams = await ensureStreams(jsm, options);
    return new EventStore(nc, nc.jetstream(), jsm, options.namespace, streams);
  }

  get partitions(): number {
    return this.streams.partitions;
  }

  /**
   * Appends one commit. `expectedSeq` is the sequence of the aggregate's last commit as the caller
   * saw it (0 for a new aggregate). Throws the server's wrong-last-sequence error on a conflict
   * (see `isWrongLastSequence`); the caller owns the retry because only it can decide again.
   */
  async append(meta: CommitMeta, events: readonly DomainEvent[], expectedSeq: number, prevHash: string | null): Promise<AppendResult> {
    const { commit, bytes } = encodeCommit(meta, events, prevHash);
    // An unanswered publish is sent again, the same bytes with the same msgID: the server's
    // duplicate window makes the retry harmless if the first one was stored (the ack then says
    // `duplicate` and carries the original sequence). Short attempts matter on a cluster: a
    // publish sent to a stream leader that just died is never answered, and a new leader is
    // usually elected in a few seconds, well before one long timeout would give up.
    const deadline = Date.now() + APPEND_DEADLINE_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await this.js.publish(meta.subject, bytes, {
          msgID: meta.commitId,
          expect: { lastSubjectSequence: expectedSeq, streamName: this.streams.events },
          timeout: APPEND_ATTEMPT_MS,
        });
        return { seq: ack.seq, duplicate: ack.duplicate, hash: commit.hash };
      } catch (err) {
        // A retry may find the subject moved on because the unanswered attempt was stored after
        // all (on a cluster, a new leader checks the expected sequence before its duplicate
        // window). If the commit right after the expected one is ours, the append succeeded.
        if (attempt > 1 && isWrongLastSequence(err)) {
          const next = await this.readSubjectOne(meta.subject, expectedSeq);
          if (next?.commitId === meta.commitId) return { seq: next.seq, duplicate: true, hash: commit.hash };
        }
        if (!isUnanswered(err) || Date.now() + APPEND_ATTEMPT_MS > deadline) throw err;
        await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  }

  /** The first commit on a subject after `afterSeq`, or null. */
  private async readSubjectOne(subject: string, afterSeq: number): Promise<StoredCommit | null> {
    return this.decode(await directGet(this.nc, this.streams.events, { seq: afterSeq + 1, next_by_subj: subject }));
  }

  /** The last commit on a subject, or null when the aggregate does not exist. */
  async last(subject: string): Promise<StoredCommit | null> {
    return this.decode(await directGet(this.nc, this.streams.events, { last_by_subj: subject }));
  }

  /** One commit by stream sequence, or null when there is none. */
  async get(seq: number): Promise<StoredCommit | null> {
    return this.decode(await directGet(this.nc, this.streams.events, { seq }));
  }

  /** Every commit on one subject after `afterSeq`, oldest first (the tail of an aggregate). */
  async readSubject(subject: string, afterSeq = 0): Promise<StoredCommit[]> {
    const out: StoredCommit[] = [];
    let seq = afterSeq + 1;
    for (;;) {
      const msg = await directGet(this.nc, this.streams.events, { seq, next_by_subj: subject });
      if (!msg) return out;
      out.push(decodeCommit(msg.seq, msg.subject, msg.time, msg.data));
      seq = msg.seq + 1;
    }
  }

  async lastSeq(): Promise<number> {
    const info = await this.jsm.streams.info(this.streams.events);
    return info.state.last_seq;
  }

  /**
   * Streams commits in sequence order through an ordered consumer (server-side filtering, flow
   * control, no durable state). Stops at `toSeq`, which defaults to the last sequence at the start,
   * so a replay is a consistent cut even while new commits arrive.
   */
  async *read(options: ReadOptions = {}): AsyncGenerator<StoredCommit> {
    const lastSeq = options.toSeq ?? (await this.lastSeq());
    const fromSeq = Math.max(1, options.fromSeq ?? 1);
    if (lastSeq < fromSeq) return;
    const consumer = await this.js.consumers.get(this.streams.events, {
      filterSubjects: options.filter ?? `${this.namespace}.evt.>`,
      ...(options.fromTime
        ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: options.fromTime.toISOString() }
        : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq }),
    });
    const info = await consumer.info(true);
    if (info.num_pending === 0) {
      await consumer.delete().catch(() => {});
      return;
    }
    const messages = await consumer.consume({ max_messages: 2000 });
    try {
      for await (const msg of messages) {
        if (msg.seq > lastSeq) break;
        let commit: StoredCommit | null = null;
        try {
          commit = decodeCommit(msg.seq, msg.subject, new Date(Math.floor(msg.info.timestampNanos / 1e6)), msg.data);
        } catch (err) {
          if (!(err instanceof PoisonMessageError) || !options.onPoison) throw err;
          options.onPoison(err);
        }
        if (commit) yield commit;
        options.onProgress?.(msg.seq, lastSeq);
        if (msg.seq === lastSeq || msg.info.pending === 0) break;
      }
    } finally {
      messages.stop();
      await consumer.delete().catch(() => {});
    }
  }

  private decode(msg: DirectMessage | null): StoredCommit | null {
    return msg && decodeCommit(msg.seq, msg.subject, msg.time, msg.data);
  }
}
