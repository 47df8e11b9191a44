// Following a filter of the event stream from a sequence on, for as long as the process runs: an
// ordered consumer (no durable state on the server; it recreates itself after a gap or a server
// restart), so a process can keep an index of its own current — the executor's open orders of its
// partitions — straight from the stream. Commits arrive strictly in order; a message that is not a
// valid commit is passed to `onPoison` and skipped, as every other reader skips it.
import { DeliverPolicy } from 'nats';
import { decodeCommit, type StoredCommit } from './codec.ts';
import { PoisonMessageError } from './errors.ts';
import type { EventStore } from './event-store.ts';

export interface Follower {
  /** Resolves once every commit that matched when following began has been handed over. */
  caughtUp: Promise<void>;
  stop(): Promise<void>;
}

export async function follow(
  store: EventStore,
  filter: string,
  afterSeq: number,
  onCommit: (commit: StoredCommit) => void,
  handlers: {
    onPoison?: (err: PoisonMessageError) => void;
    /** The follower stopped for good (a bug in `onCommit`, or the connection closed). */
    onEnd?: (err: unknown) => void;
    /**
     * Called for every message, in order, before it is decoded: false skips it undecoded (a
     * follower of the whole stream that cares about a few subjects pays only for those).
     */
    want?: (subject: string, seq: number) => boolean;
  } = {},
): Promise<Follower> {
  // Caught up means: past the last commit matching the filter when following began.
  const target = await store.lastSeqOf(filter);
  let reached!: () => void;
  const caughtUp = new Promise<void>((resolve) => {
    reached = resolve;
  });
  if (target <= afterSeq) reached();
  const consumer = await store.js.consumers.get(store.streams.events, {
    filterSubjects: filter,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: afterSeq + 1,
  });
  const messages = await consumer.consume({ max_messages: 1000 });
  const done = (async () => {
    for await (const msg of messages) {
      try {
        if (!handlers.want || handlers.want(msg.subject, msg.seq)) {
          onCommit(decodeCommit(msg.seq, msg.subject, new Date(Math.floor(msg.info.timestampNanos / 1e6)), msg.data));
        }
      } catch (err) {
        if (!(err instanceof PoisonMessageError)) throw err;
        handlers.onPoison?.(err);
      }
      if (msg.seq >= target || msg.info.pending === 0) reached();
    }
  })().catch((err) => handlers.onEnd?.(err));
  return {
    caughtUp,
    stop: async () => {
      messages.stop();
      await done;
      // Nothing may wait forever on a follower that was stopped before it caught up.
      reached();
    },
  };
}
