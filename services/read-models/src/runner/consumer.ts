// The durable pull consumer a runner reads one partition through. Created on first use, starting
// right after the lowest checkpoint, so a consumer that was deleted (or a new projection) resumes
// from the read models' own position instead of the stream's beginning.
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

export async function ensureConsumer(store: EventStore, spec: ConsumerSpec): Promise<void> {
  const stream = store.streams.events;
  const existing = await store.jsm.consumers.info(stream, spec.name).catch(() => null);
  if (existing) {
    // Only mutable settings change; the start position of an existing consumer is its own.
    await store.jsm.consumers.update(stream, spec.name, { ack_wait: nanos(spec.ackWaitMs), max_ack_pending: spec.maxAckPending });
    return;
  }
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
