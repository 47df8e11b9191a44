// A read model knows the stream it was built from. Its checkpoints are stream sequences, and a
// sequence means something only in the stream that numbered it: a stream recreated after
// `rm -rf .data`, or another clone's stream, starts again at 1 while the checkpoints stand at
// 38,800, and a projector that trusted them would skip every event at or below that, silently.
//
// The identity is the stream's name and its creation time (nanoseconds, kept by the server for the
// life of the stream and across a backup restore). Events cannot be deleted or purged from it, so a
// stream is only ever *replaced*, by deleting it whole, and a replacement has a new creation time.
// It is known for an empty stream too, needs no write to establish (every reader derives the same
// value), and costs one stream-info request at start.
import type { EventStore } from '@blotter/eventstore';

export interface StreamIdentity {
  /** `<NAME>@<created>`, as stored with the checkpoints. */
  key: string;
  stream: string;
  created: string;
  /** The stream's last sequence when the identity was read. */
  lastSeq: number;
}

export async function streamIdentity(store: EventStore): Promise<StreamIdentity> {
  const info = await store.jsm.streams.info(store.streams.events);
  return { key: `${info.config.name}@${info.created}`, stream: info.config.name, created: info.created, lastSeq: info.state.last_seq };
}

/** What to do about read models built from another stream: one line, with the command to run. */
export const RESET_HINT =
  'run `./blotter rebuild --reset` to rebuild them from this stream, or give each stack its own database (README: "Two stacks side by side")';

/**
 * The read models were built from a different stream than the one this process reads. Projecting
 * on would mix two histories (or, with the checkpoints ahead of the stream, skip every event).
 */
export class StreamMismatchError extends Error {
  override readonly name = 'StreamMismatchError';
  constructor(
    readonly schema: string,
    readonly builtFrom: string,
    readonly current: string,
  ) {
    super(
      `the read models in schema ${schema} were built from stream ${builtFrom}, not from ${current} that this stack reads (recreated, or another clone's): ${RESET_HINT}`,
    );
  }
}
