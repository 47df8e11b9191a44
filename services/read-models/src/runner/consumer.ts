// The durable pull consumer a runner reads one partition through. The read models' checkpoints in
// Postgres are the only cursor: every time a runner opens a partition (start, lease takeover,
// reopening after a failure) the consumer is created afresh, starting right after the lowest
// checkpoint. Reusing a durable consumer's own position is not safe here: messages delivered to a
// previous holder and never acked are redelivered only after ack_wait, *after* newer ones, and a
// runner that skips what is at or below its checkpoint would then skip them for good.
import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import type { EventStore } from '@blotter/eventstore';

export interface ConsumerSpec {
  /** Durable name, e.g. `projector-p0`. */
  name: string;
  filter: string;
  startAfterSeq: number;
  /** How long a delivered message may stay unacked before the server redelivers it, in ms. */
  ackWaitMs: number;
  /** Messages delivered but not yet acked, at most. */
  maxAckPending: number;
}

export async function openConsumer(store: EventStore, spec: ConsumerSpec): Promise<void> {
  const stream = store.streams.events;
  await store.jsm.consumers.delete(stream, spec.name).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
  });
  await store.jsm.consumers.add(stream, {
    durable_name: spec.name,
    filter_subject: spec.filter,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: spec.startAfterSeq + 1,
    ack_wait: nanos(spec.ackWaitMs),
    max_ack_pending: spec.maxAckPending,
    // Redelivery is bounded by the runner itself (it dead-letters a poison message explicitly).
    max_deliver: -1,
  });
}

const isNotFound = (err: unknown) => err instanceof Error && /consumer not found/i.test(err.message);
