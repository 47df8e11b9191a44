// Reading events by order, user, type and time: the audit trail as auditors, the CLI and exports
// ask for it. Subject filters are applied by the server; type and end time by the reader.
import type { RecordedEvent } from './codec.ts';
import type { PoisonMessageError } from './errors.ts';
import type { EventStore } from './event-store.ts';

export interface EventQuery {
  orderId?: string;
  userId?: string;
  type?: string;
  since?: Date;
  until?: Date;
  /** Continue after this stream sequence (pagination). */
  afterSeq?: number;
  /** Last stream sequence to consider (an "as of" cut). */
  toSeq?: number;
  limit?: number;
}

export interface QueriedEvent extends Record<string, unknown> {
  seq: number;
  storedAt: string;
  event: RecordedEvent;
}

export function filterSubject(store: EventStore, q: Pick<EventQuery, 'orderId' | 'userId'>): string {
  if (q.orderId && q.userId) return store.subjects.order(q.userId, q.orderId);
  if (q.orderId) return store.subjects.anyOrder(q.orderId);
  if (q.userId) return store.subjects.userEvents(q.userId);
  return store.subjects.allEvents;
}

export async function* queryEvents(
  store: EventStore,
  q: EventQuery,
  onProgress?: (seq: number, last: number) => void,
  onPoison?: (error: PoisonMessageError) => void,
): AsyncGenerator<QueriedEvent> {
  let yielded = 0;
  const limit = q.limit ?? Number.POSITIVE_INFINITY;
  for await (const commit of store.read({
    filter: filterSubject(store, q),
    fromSeq: (q.afterSeq ?? 0) + 1,
    ...(q.since && !q.afterSeq ? { fromTime: q.since } : {}),
    ...(q.toSeq ? { toSeq: q.toSeq } : {}),
    ...(onProgress ? { onProgress } : {}),
    // An undecodable message has no events to show; the caller may report it.
    onPoison: onPoison ?? (() => {}),
  })) {
    if (q.until && commit.time > q.until) return;
    for (const event of commit.events) {
      if (q.type && event.type !== q.type) continue;
      yield { seq: commit.seq, storedAt: commit.time.toISOString(), event };
      if (++yielded >= limit) return;
    }
  }
}
