// The event store over one JetStream stream. An append is one message (a commit) on the aggregate's
// subject, with two server-side guarantees:
//   - Nats-Msg-Id = commit id: a retried append inside the duplicate window is acknowledged as a
//     duplicate instead of written twice (but see `append`: the expected sequence is checked first);
//   - Nats-Expected-Last-Subject-Sequence, with Nats-Expected-Last-Subject-Sequence-Subject naming
//     the consistency scope (all of one user's subjects, `<ns>.evt.<p>.<user>.>`): the append only
//     succeeds if nothing was appended anywhere in the scope since it was read (optimistic
//     concurrency; the caller reloads and decides again). This needs nats-server >= 2.11, which
//     `open` checks.
// Reads never create a consumer per aggregate: direct get by subject walks one aggregate (batched
// for a whole scope), and an ordered consumer streams ranges for replays and rebuilds.
import { setTimeout as sleep } from 'node:timers/promises';
import { DeliverPolicy, ErrorCode, headers, type JetStreamClient, type JetStreamManager, type NatsConnection, NatsError } from 'nats';
import { type Commit, type DomainEvent, type Subjects, subjects as subjectsFor } from '@blotter/schemas';
import { backoffDelay } from './backoff.ts';
import { type CommitMeta, decodeCommit, encodeCommit, type StoredCommit } from './codec.ts';
import { type DirectMessage, directGet, directGetBatch } from './direct.ts';
import { isWrongLastSequence, PoisonMessageError, UnsupportedServerError } from './errors.ts';
import { type EnsuredStreams, ensureStreams, type StreamOptions } from './streams.ts';

/** One publish attempt waits this long for the stream's ack… */
const APPEND_ATTEMPT_MS = 2_000;
/** …and an append gives up after this long in all (a NATS cluster elects a new leader in seconds). */
const APPEND_DEADLINE_MS = 15_000;

/** Between unanswered append attempts. */
const APPEND_RETRY = { initialMs: 50, maxMs: 1000 };

/** The oldest nats-server that checks an expected sequence over a scope of subjects. */
export const MIN_SERVER_VERSION = [2, 11, 0] as const;
/** Direct get answers this many messages per round trip when reading a scope. */
const SCOPE_BATCH = 512;

/** No ack: a timeout, or no stream leader to answer (503) during an election or a restart. */
export const isUnanswered = (err: unknown) =>
  err instanceof NatsError && (err.code === ErrorCode.Timeout || err.code === ErrorCode.NoResponders);

export interface AppendResult {
  seq: number;
  /** True when the server had already stored this commit id: nothing new was written. */
  duplicate: boolean;
  hash: string;
  /** The commit as written (its envelopes), so the writer can fold it without reading it back. */
  commit: Commit;
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
    // 2.10 does not know Nats-Expected-Last-Subject-Sequence-Subject and may skip the expected
    // sequence check when it sees it, storing a stale write: refuse to run rather than risk that.
    const version = nc.info?.version ?? '0.0.0';
    if (!versionAtLeast(version, MIN_SERVER_VERSION)) throw new UnsupportedServerError(version, MIN_SERVER_VERSION.join('.'));
    const jsm = await nc.jetstreamManager();
    const streams = await ensureStreams(jsm, options);
    return new EventStore(nc, nc.jetstream(), jsm, options.namespace, streams);
  }

  get partitions(): number {
    return this.streams.partitions;
  }

  /**
   * Appends one commit to `meta.subject`. `expectedSeq` is the last sequence of the consistency
   * `scope` as the caller saw it (0 for a scope with nothing in it yet); the scope is a subject
   * filter and defaults to the commit's own subject. `prevHash` is the hash of the subject's own
   * last commit (each subject is a hash chain). Throws the server's wrong-last-sequence error on a
   * conflict (see `isWrongLastSequence`); the caller owns the retry because only it can decide again.
   */
  async append(
    meta: CommitMeta,
    events: readonly DomainEvent[],
    expectedSeq: number,
    prevHash: string | null,
    scope: string = meta.subject,
  ): Promise<AppendResult> {
    const { commit, bytes } = encodeCommit(meta, events, prevHash);
    const h = headers();
    if (scope !== meta.subject) h.set(EXPECTED_SCOPE_HEADER, scope);
    // An unanswered publish is sent again, the same bytes with the same msgID: if the first one was
    // stored, the retry is refused for its stale expected sequence and recognised below as ours
    // (or, within the duplicate window, acked as a duplicate). Short attempts matter on a cluster: a
    // publish sent to a stream leader that just died is never answered, and a new leader is
    // usually elected in a few seconds, well before one long timeout would give up.
    const deadline = Date.now() + APPEND_DEADLINE_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await this.js.publish(meta.subject, bytes, {
          msgID: meta.commitId,
          expect: { lastSubjectSequence: expectedSeq, streamName: this.streams.events },
          headers: h,
          timeout: APPEND_ATTEMPT_MS,
        });
        return { seq: ack.seq, duplicate: ack.duplicate, hash: commit.hash, commit };
      } catch (err) {
        // A conflict may be our own commit, stored by an earlier attempt (unanswered, or a caller's
        // retry): the server checks the expected sequence before its duplicate window (since 2.12;
        // on a cluster's new leader before that too), so the retry is refused instead of acked as
        // a duplicate. Our commit was then the first in the scope after the expected sequence: if
        // that one is ours, the append succeeded. So an append is idempotent by commit id.
        if (isWrongLastSequence(err)) {
          const next = await this.firstAfter(scope, expectedSeq);
          if (next?.commitId === meta.commitId) return { seq: next.seq, duplicate: true, hash: commit.hash, commit };
        }
        if (!isUnanswered(err) || Date.now() + APPEND_ATTEMPT_MS > deadline) throw err;
        await sleep(backoffDelay(attempt, APPEND_RETRY));
      }
    }
  }

  /** The first commit matching a subject or filter after `afterSeq`, or null. */
  async firstAfter(filter: string, afterSeq: number): Promise<StoredCommit | null> {
    return this.decode(await directGet(this.nc, this.streams.events, { seq: afterSeq + 1, next_by_subj: filter }));
  }

  /** The last sequence of a subject or filter (a user's scope), 0 when nothing matches. */
  async lastSeqOf(filter: string): Promise<number> {
    return (await directGet(this.nc, this.streams.events, { last_by_subj: filter }))?.seq ?? 0;
  }

  /**
   * Every commit matching a filter after `afterSeq`, oldest first: a whole scope (one user's
   * subjects) in a few batched round trips. Reads up to the last match at the time of the call.
   * A message that is not a valid commit goes to `onPoison` and is skipped (an error without it).
   */
  async readScope(filter: string, afterSeq = 0, onPoison?: (err: PoisonMessageError) => void): Promise<StoredCommit[]> {
    const out: StoredCommit[] = [];
    let from = afterSeq + 1;
    for (;;) {
      const { messages, done } = await directGetBatch(this.nc, this.streams.events, filter, from, SCOPE_BATCH);
      for (const m of messages) {
        try {
          out.push(decodeCommit(m.seq, m.subject, m.time, m.data));
        } catch (err) {
          // Skipped as the projector skips it (after dead-lettering it), so the aggregate and the
          // read models fold the same commits; without a handler it is an error.
          if (!(err instanceof PoisonMessageError) || !onPoison) throw err;
          onPoison(err);
        }
      }
      const last = messages.at(-1);
      if (done || !last) return out;
      from = last.seq + 1;
    }
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
      filterSubjects: options.filter ?? this.subjects.allEvents,
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

/** Names the consistency scope of Nats-Expected-Last-Subject-Sequence (nats-server ≥ 2.11). */
const EXPECTED_SCOPE_HEADER = 'Nats-Expected-Last-Subject-Sequence-Subject';

function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = version.replace(/^v/, '').split(/[.-]/).map(Number);
  for (let i = 0; i < min.length; i++) {
    const have = parts[i] ?? 0;
    const want = min[i] ?? 0;
    if (have !== want) return have > want;
  }
  return true;
}
