// Reading one aggregate from its own subject (an order's history, the kill switch): direct get,
// next by subject, folded with the aggregate's evolve. Read-only: every write goes through a
// ScopeRepository, under the optimistic-concurrency check of the user's whole scope.
import type { DomainEvent } from '@blotter/schemas';
import type { RecordedEvent } from './codec.ts';
import type { EventStore } from './event-store.ts';

/** Where and when an event was recorded; evolve functions take time from here, never from a clock. */
export interface EventMeta {
  seq: number;
  occurredAt: string;
}

export interface Evolver<S, E extends DomainEvent> {
  initialState: () => S;
  evolve: (state: S, event: E, meta: EventMeta) => S;
  /** Narrows a decoded event to this aggregate's events; anything else on the subject is a bug. */
  isEvent: (event: DomainEvent) => event is E;
}

export interface Loaded<S> {
  state: S;
  /** Stream sequence of the last commit (0 for an aggregate that does not exist yet). */
  seq: number;
  hash: string | null;
}

/** The aggregate on `subject` as of now, folded from `from` (default: its beginning). */
export async function loadAggregate<S, E extends DomainEvent>(
  store: EventStore,
  subject: string,
  evolver: Evolver<S, E>,
  from: Loaded<S> = { state: evolver.initialState(), seq: 0, hash: null },
): Promise<Loaded<S>> {
  let current = from;
  for (const commit of await store.readSubject(subject, from.seq)) {
    let state = current.state;
    for (const event of commit.events as RecordedEvent[]) {
      if (!evolver.isEvent(event)) throw new Error(`unexpected ${event.type} on ${subject}`);
      state = evolver.evolve(state, event, { seq: commit.seq, occurredAt: event.occurredAt });
    }
    current = { state, seq: commit.seq, hash: commit.hash };
  }
  return current;
}
