// Loading and changing one aggregate. State is cached per subject with the sequence and hash of its
// last commit; a stale cache costs nothing but a retry, because the append states the sequence it
// expects and the server refuses it if another writer got there first. On that refusal the tail is
// read (direct get, next by subject), the command is decided again on the fresh state, and the
// append retried, a bounded number of times.
import type { DomainEvent } from '@blotter/schemas';
import type { CommitMeta, RecordedEvent } from './codec.ts';
import { ConcurrencyError, isWrongLastSequence } from './errors.ts';
import type { EventStore } from './event-store.ts';
import { Lru } from './lru.ts';

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

export interface Handled<S, E> extends Loaded<S> {
  /** What this call appended; empty when the decision was a no-op or a duplicate. */
  events: E[];
  duplicate: boolean;
}

export interface AggregateOptions {
  /** Aggregates kept in memory. */
  cacheSize: number;
  /** Appends tried before giving up with ConcurrencyError. */
  maxAttempts: number;
}

export class AggregateRepository<S, E extends DomainEvent> {
  private readonly cache: Lru<string, Loaded<S>>;

  constructor(
    private readonly store: EventStore,
    private readonly evolver: Evolver<S, E>,
    private readonly options: AggregateOptions = { cacheSize: 10_000, maxAttempts: 5 },
  ) {
    this.cache = new Lru(options.cacheSize);
  }

  /** The aggregate as of its last commit (from the cache, refreshed only by a conflict). */
  async load(subject: string): Promise<Loaded<S>> {
    return this.cache.get(subject) ?? (await this.refresh(subject, this.empty()));
  }

  /** The aggregate as of now: the cached state (if any) plus whatever was appended since. */
  async loadFresh(subject: string): Promise<Loaded<S>> {
    return this.refresh(subject, this.cache.get(subject) ?? this.empty());
  }

  /** Reads whatever was appended after `from` and folds it in. */
  async refresh(subject: string, from: Loaded<S>): Promise<Loaded<S>> {
    let current = from;
    for (const commit of await this.store.readSubject(subject, from.seq)) {
      const meta = { seq: commit.seq, occurredAt: commit.events[0]?.occurredAt ?? commit.time.toISOString() };
      current = { state: this.fold(current.state, commit.events, meta), seq: commit.seq, hash: commit.hash };
    }
    if (current.seq > 0) this.cache.set(subject, current);
    return current;
  }

  /**
   * Decides on the current state and appends the result as one commit. `decide` may throw a domain
   * error (nothing is written) and may return [] for a command that changes nothing.
   * `assumeNew` skips the initial load for aggregates that are being created (a conflict still
   * reveals an existing one).
   */
  async handle(
    subject: string,
    meta: Omit<CommitMeta, 'subject'>,
    decide: (state: S) => E[],
    options: { assumeNew?: boolean } = {},
  ): Promise<Handled<S, E>> {
    let current = options.assumeNew ? (this.cache.get(subject) ?? this.empty()) : await this.load(subject);
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      const events = decide(current.state);
      if (events.length === 0) return { ...current, events: [], duplicate: false };
      try {
        const ack = await this.store.append({ ...meta, subject }, events, current.seq, current.hash);
        if (ack.duplicate) {
          // The same command was stored before (a retry): report what is there, write nothing.
          const fresh = await this.refresh(subject, current);
          return { ...fresh, events: [], duplicate: true };
        }
        const applied = this.fold(current.state, events, { seq: ack.seq, occurredAt: meta.occurredAt });
        const next: Loaded<S> = { state: applied, seq: ack.seq, hash: ack.hash };
        this.cache.set(subject, next);
        return { ...next, events, duplicate: false };
      } catch (err) {
        if (!isWrongLastSequence(err)) throw err;
        current = await this.refresh(subject, current);
        if (attempt === this.options.maxAttempts) throw new ConcurrencyError(subject, attempt, { cause: err });
      }
    }
    throw new ConcurrencyError(subject, this.options.maxAttempts);
  }

  /** Drops a cached aggregate (tests use it to force a cold load). */
  forget(subject: string): void {
    this.cache.delete(subject);
  }

  private empty(): Loaded<S> {
    return { state: this.evolver.initialState(), seq: 0, hash: null };
  }

  private fold(state: S, events: readonly (E | RecordedEvent)[], meta: EventMeta): S {
    let next = state;
    for (const event of events) {
      if (!this.evolver.isEvent(event)) throw new Error(`unexpected ${event.type} on this aggregate`);
      next = this.evolver.evolve(next, event, meta);
    }
    return next;
  }
}
