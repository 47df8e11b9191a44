// The one way to change anything a user owns. A scope is every subject of one user
// (`<ns>.evt.<p>.<user>.>`: the account, each order, the audit trail), or one subject alone when a
// decision depends on nothing else (the executor's venue reports, decided on their order); its state
// is folded from all of them, and every append states the scope's last sequence as it was decided on. The server
// refuses the append if anything at all was appended in the scope since (one optimistic-concurrency
// check over all of the user's events, nats-server ≥ 2.11), so two writers — two gateways, or a
// gateway and the executor — can never both decide from the same state. The loser reads what it
// missed, decides again on the fresh state, and appends again.
//
// State lives in memory: loaded on first use from a snapshot plus the stream after it, then kept
// current by this process's own appends and, when another process wrote, by the conflict that
// reveals it — or, with `followAll`, by following every scope's subjects, so what another process
// appended (the executor's fills) is usually folded before the next command needs it. A decision
// that appends nothing (a repeat, a refusal) is confirmed against the scope's last sequence before
// it is answered, since no conflict would ever catch it.
// Within one process the commands of a scope run one at a time: they would only conflict.
import type { DomainEvent, StateSnapshot } from '@blotter/schemas';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RecordedEvent, recordedEvents, type StoredCommit } from './codec.ts';
import { type Follower, follow } from './follow.ts';
import { ConcurrencyError, isWrongLastSequence, OutcomeUnknownError, PoisonMessageError } from './errors.ts';
import { type EventStore, isUnanswered } from './event-store.ts';
import { Lru } from './lru.ts';
import { SnapshotStore } from './snapshots.ts';
import type { Logger } from './logger.ts';

export interface ScopeEvolver<S> {
  initialState(): S;
  /** Folds one recorded event (it carries its sequence, subject and time) into the state. Pure. */
  evolve(state: S, event: RecordedEvent): S;
  /**
   * How states are saved: a key per scope, the state's format (raise it when the meaning of the
   * state changes) and its check (a snapshot that fails it is ignored). Without it, never saved.
   */
  snapshot?: { key(scopeId: string): string; format: number; check(value: unknown): value is S };
}

/** What a command decided: the events to append as one commit, and where. */
export interface Decision<E extends DomainEvent> {
  subject: string;
  aggregateId: string;
  /** The user whose events these are; by default the scope id (a user's scope). */
  userId?: string;
  events: E[];
  /** Also the Nats-Msg-Id: a retried command with the same id is stored once. */
  commitId: string;
  occurredAt: string;
  causationId?: string | null;
  correlationId?: string | null;
  /**
   * True when the subject is known to be new (a new order): its hash chain starts here, so its
   * last commit need not be looked up. A conflict still reveals a subject that was not new.
   */
  newSubject?: boolean;
}

/** A decision function: pure in the state, may read (a closed order's history) but never write. */
export type Decide<S, E extends DomainEvent> = (state: S) => Decision<E> | null | Promise<Decision<E> | null>;

export interface ScopeHandled<S, E> {
  /** The scope's state after the command (fresh, including what was appended). */
  state: S;
  /** The scope's last sequence after the command. */
  seq: number;
  /** What this call appended; empty when nothing was decided or the commit was already stored. */
  events: E[];
  /** The commit was already stored (the same command id): nothing new was written. */
  duplicate: boolean;
  /** Optimistic-concurrency conflicts this command met before it was decided on fresh state. */
  conflicts: number;
}

export interface ScopeOptions {
  /** The subject filter of a scope id (a user id): `store.subjects.userEvents`. */
  scopeOf(scopeId: string): string;
  snapshots?: SnapshotStore;
  /** Scopes kept in memory. */
  cacheSize?: number;
  /** Hash-chain heads kept per scope (each order is its own chain; older ones are looked up). */
  headsPerScope?: number;
  /** Conflicts met before giving up with ConcurrencyError. */
  maxConflicts?: number;
  /** A snapshot is saved once this many commits were folded since the last one. */
  snapshotEvery?: number;
  log?: Logger;
}

interface Loaded<S> {
  state: S;
  seq: number;
  /** subject → hash of its last commit, for the subjects written recently. */
  heads: Lru<string, string>;
  /** Commits folded since the state was last saved. */
  unsaved: number;
  /**
   * The follower run (its epoch) that will hand over every later commit of this scope, in order:
   * the state may then be advanced by what it hands over. 0: not followed (advanced only by a read).
   */
  followedIn: number;
}

/** The follower of every scope's subjects, while it runs. */
interface Following {
  epoch: number;
  /** The stream sequence of the last message handed over: everything up to it is stored. */
  pos: number;
  follower: Follower | null;
}

/** Conflicts seen by every repository in this process, for metrics and the bench. */
export const scopeStats = { appends: 0, conflicts: 0, confirmations: 0, followed: 0 };

export class ScopeRepository<S, E extends DomainEvent> {
  private readonly cache: Lru<string, Loaded<S>>;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly maxConflicts: number;
  private readonly headsPerScope: number;
  private readonly snapshotEvery: number;
  private following: Following | null = null;
  private epochs = 0;
  private closed = false;
  /** Scopes being read while following, and the highest sequence of theirs handed over meanwhile. */
  private readonly reads = new Map<string, { count: number; maxSeen: number }>();

  /** A repository whose scopes are users (every subject of one user), saving snapshots. */
  static forUsers<S, E extends DomainEvent>(
    store: EventStore,
    evolver: ScopeEvolver<S>,
    options: Omit<ScopeOptions, 'scopeOf' | 'snapshots'> = {},
  ): ScopeRepository<S, E> {
    return new ScopeRepository<S, E>(store, evolver, {
      ...options,
      scopeOf: store.subjects.userEvents,
      snapshots: new SnapshotStore(store),
    });
  }

  constructor(
    private readonly store: EventStore,
    private readonly evolver: ScopeEvolver<S>,
    private readonly o: ScopeOptions,
  ) {
    this.cache = new Lru(o.cacheSize ?? 10_000);
    this.maxConflicts = o.maxConflicts ?? 100;
    this.headsPerScope = o.headsPerScope ?? 64;
    this.snapshotEvery = o.snapshotEvery ?? 200;
  }

  /** The scope's state as this process knows it (current unless another process wrote since). */
  async load(scopeId: string): Promise<{ state: S; seq: number }> {
    const loaded = this.cache.get(scopeId) ?? (await this.cold(scopeId));
    return { state: loaded.state, seq: loaded.seq };
  }

  /** The scope's state as of now: what this process knows plus anything appended since. */
  async loadFresh(scopeId: string): Promise<{ state: S; seq: number }> {
    const loaded = await this.refresh(scopeId, this.cache.get(scopeId) ?? (await this.cold(scopeId)));
    return { state: loaded.state, seq: loaded.seq };
  }

  /**
   * Decides on the scope's current state and appends the decision as one commit. `decide` may throw
   * a domain error (nothing is written) or return null (nothing to write); both are confirmed on
   * the scope's current state first. Throws ConcurrencyError after `maxConflicts` lost races and
   * OutcomeUnknownError when the append was sent but its outcome cannot be known.
   */
  handle(scopeId: string, decide: Decide<S, E>): Promise<ScopeHandled<S, E>> {
    const previous = this.queues.get(scopeId) ?? Promise.resolve();
    const next = previous.then(
      () => this.run(scopeId, decide),
      () => this.run(scopeId, decide),
    );
    this.queues.set(scopeId, next);
    const cleanup = () => {
      if (this.queues.get(scopeId) === next) this.queues.delete(scopeId);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  /**
   * `handle` for the common case where the target is known before deciding: `decide` returns only
   * the events (none: nothing to append).
   */
  decide(scopeId: string, target: Omit<Decision<E>, 'events'>, decide: (state: S) => E[] | Promise<E[]>): Promise<ScopeHandled<S, E>> {
    return this.handle(scopeId, async (state) => ({ ...target, events: await decide(state) }));
  }

  /**
   * Keeps cached scopes current by following `filter` (every scope's subjects) from now on: a commit
   * another process appended is folded into a cached scope as it arrives, so the next command on
   * that scope is decided on current state instead of losing a race first. Only commits of cached
   * scopes are decoded.
   *
   * Why a followed state is exact: the follower hands over every matching message in stream order.
   * A read that starts after the follower handed over sequence F sees every commit up to F; if
   * nothing of the scope past what the read returned is handed over before the state is cached,
   * every later commit of the scope will be handed over after it, in order. A read for which that
   * cannot be shown leaves the state unfollowed (kept current by conflicts, as without following).
   */
  async followAll(filter: string, scopeIdOf: (subject: string) => string | null): Promise<void> {
    const from = this.following?.pos ?? (await this.store.lastSeqOf(filter));
    if (this.closed) return;
    const run: Following = { epoch: ++this.epochs, pos: from, follower: null };
    this.following = run;
    /** The cached state this run may advance to `seq`, if any. */
    const followedBehind = (scopeId: string, seq: number): Loaded<S> | undefined => {
      const entry = this.cache.peek(scopeId);
      return entry && entry.followedIn === run.epoch && seq > entry.seq ? entry : undefined;
    };
    const fold = (scopeId: string | null, seq: number, apply: (entry: Loaded<S>) => Loaded<S>) => {
      if (scopeId === null) return;
      const entry = followedBehind(scopeId, seq);
      if (!entry) return;
      scopeStats.followed++;
      this.keep(scopeId, apply(entry));
    };
    run.follower = await follow(
      this.store,
      filter,
      from,
      (commit) => fold(scopeIdOf(commit.subject), commit.seq, (e) => this.foldStored(e, commit)),
      {
        want: (subject, seq) => {
          run.pos = seq;
          const scopeId = scopeIdOf(subject);
          if (scopeId === null) return false;
          const read = this.reads.get(scopeId);
          if (read) read.maxSeen = Math.max(read.maxSeen, seq);
          return followedBehind(scopeId, seq) !== undefined;
        },
        // A message that is not a commit still moves the scope's sequence (as a read counts it).
        onPoison: (err) => fold(scopeIdOf(err.subject), err.seq, (e) => ({ ...e, seq: err.seq })),
        onEnd: (err) => {
          if (this.following !== run) return;
          this.following = null;
          if (this.closed) return;
          this.o.log?.warn({ err: String(err) }, 'following the scopes stopped; states are kept current by conflicts until it restarts');
          setTimeout(() => {
            if (!this.closed && !this.following) {
              // A placeholder that says where to resume; no state counts as followed by it.
              this.following = { epoch: 0, pos: run.pos, follower: null };
              this.followAll(filter, scopeIdOf).catch((e) => this.o.log?.warn({ err: String(e) }, 'could not follow the scopes again'));
            }
          }, 1_000).unref();
        },
      },
    );
  }

  /** Stops following (the states stay cached, kept current by conflicts). */
  async close(): Promise<void> {
    this.closed = true;
    const run = this.following;
    this.following = null;
    await run?.follower?.stop();
  }

  /** Forgets a cached scope (tests use it to force a cold load). */
  forget(scopeId: string): void {
    this.cache.delete(scopeId);
  }

  private async run(scopeId: string, decide: Decide<S, E>): Promise<ScopeHandled<S, E>> {
    const scope = this.o.scopeOf(scopeId);
    let current = this.cache.get(scopeId) ?? (await this.cold(scopeId));
    let conflicts = 0;
    for (;;) {
      let decision: Decision<E> | null;
      try {
        decision = await decide(current.state);
      } catch (err) {
        // A refusal stands only if it was made on the current state.
        const fresher = await this.ifStale(scopeId, scope, current);
        if (!fresher) throw err;
        current = fresher;
        continue;
      }
      if (!decision || decision.events.length === 0) {
        const fresher = await this.ifStale(scopeId, scope, current);
        if (fresher) {
          current = fresher;
          continue;
        }
        return { state: current.state, seq: current.seq, events: [], duplicate: false, conflicts };
      }
      const prevHash = decision.newSubject ? null : await this.head(current, decision.subject);
      try {
        const meta = {
          commitId: decision.commitId,
          subject: decision.subject,
          aggregateId: decision.aggregateId,
          userId: decision.userId ?? scopeId,
          occurredAt: decision.occurredAt,
          causationId: decision.causationId ?? null,
          correlationId: decision.correlationId ?? null,
        };
        scopeStats.appends++;
        const ack = await this.store.append(meta, decision.events, current.seq, prevHash, scope);
        if (ack.duplicate) {
          // The same command was stored before (a retry): report what is there, write nothing.
          const fresh = await this.refresh(scopeId, current);
          return { state: fresh.state, seq: fresh.seq, events: [], duplicate: true, conflicts };
        }
        const folded = this.fold(current, ack.seq, decision.subject, ack.hash, recordedEvents(ack.seq, ack.commit, decision.events));
        this.keep(scopeId, folded);
        return { state: folded.state, seq: folded.seq, events: decision.events, duplicate: false, conflicts };
      } catch (err) {
        if (!isWrongLastSequence(err)) {
          if (isUnanswered(err)) {
            // The commit may or may not be stored: forget what we think we know of this scope.
            this.cache.delete(scopeId);
            throw new OutcomeUnknownError(decision.commitId, { cause: err });
          }
          throw err;
        }
        conflicts++;
        scopeStats.conflicts++;
        if (conflicts >= this.maxConflicts) throw new ConcurrencyError(scope, conflicts, { cause: err });
        // Writers that keep colliding back off a little, at random, so one of them gets through.
        if (conflicts >= 3) await sleep(Math.random() * Math.min(50, conflicts * 2));
        // The follower may already have folded what this append lost to; else read it.
        const followed = this.cache.peek(scopeId);
        current = followed && this.isFollowed(followed) && followed.seq > current.seq ? followed : await this.refresh(scopeId, current);
      }
    }
  }

  /** The state read fresh when the scope moved past `current`, else null (it is current). */
  private async ifStale(scopeId: string, scope: string, current: Loaded<S>): Promise<Loaded<S> | null> {
    scopeStats.confirmations++;
    if ((await this.store.lastSeqOf(scope)) === current.seq) return null;
    return this.refresh(scopeId, current);
  }

  /** The hash of a subject's last commit: from memory for recent subjects, else from the stream. */
  private async head(current: Loaded<S>, subject: string): Promise<string | null> {
    const known = current.heads.get(subject);
    if (known !== undefined) return known;
    try {
      return (await this.store.last(subject))?.hash ?? null;
    } catch (err) {
      // The subject ends in a message that is not a commit: its chain is broken there already (and
      // `blotter verify` reports it); the next commit starts a new one rather than block the user.
      if (err instanceof PoisonMessageError) return null;
      throw err;
    }
  }

  private isFollowed(entry: Loaded<S>): boolean {
    return entry.followedIn !== 0 && entry.followedIn === this.following?.epoch;
  }

  private async cold(scopeId: string): Promise<Loaded<S>> {
    const empty: Loaded<S> = { state: this.evolver.initialState(), seq: 0, heads: new Lru(this.headsPerScope), unsaved: 0, followedIn: 0 };
    const saved = await this.savedState(scopeId);
    return this.refresh(scopeId, saved ?? empty);
  }

  private async savedState(scopeId: string): Promise<Loaded<S> | null> {
    const spec = this.evolver.snapshot;
    if (!spec || !this.o.snapshots) return null;
    let snapshot: StateSnapshot | null;
    try {
      snapshot = await this.o.snapshots.get(spec.key(scopeId));
    } catch (err) {
      this.o.log?.warn({ scopeId, err: String(err) }, 'snapshot unreadable; rebuilding the state from the stream');
      return null;
    }
    if (!snapshot || snapshot.format !== spec.format || !spec.check(snapshot.state)) return null;
    const heads = new Lru<string, string>(this.headsPerScope);
    for (const [subject, hash] of Object.entries(snapshot.heads)) heads.set(subject, hash);
    return { state: snapshot.state, seq: snapshot.seq, heads, unsaved: 0, followedIn: 0 };
  }

  /** Folds whatever was appended in the scope after `from`. */
  private async refresh(scopeId: string, from: Loaded<S>): Promise<Loaded<S>> {
    // While following: note what the follower hands over of this scope during the read.
    const run = this.following;
    const read = this.reads.get(scopeId) ?? { count: 0, maxSeen: 0 };
    read.count++;
    this.reads.set(scopeId, read);
    let poisonSeq = 0;
    let current = from;
    try {
      const commits = await this.store.readScope(this.o.scopeOf(scopeId), from.seq, (err) => {
        this.o.log?.warn(
          { scopeId, seq: err.seq, err: err.message },
          'a message in this scope is not a commit; skipped, as the projector skips it',
        );
        poisonSeq = Math.max(poisonSeq, err.seq);
      });
      for (const commit of commits) current = this.foldStored(current, commit);
      // The scope's last sequence counts a skipped message too: the next append must expect it.
      if (poisonSeq > current.seq) current = { ...current, seq: poisonSeq };
      // Followed from here on only if the follower ran through the whole read and handed over
      // nothing of this scope past what the read returned.
      const followed = run !== null && this.following === run && read.maxSeen <= current.seq;
      current = { ...current, followedIn: followed ? run.epoch : 0 };
    } finally {
      if (--read.count === 0) this.reads.delete(scopeId);
    }
    this.keep(scopeId, current);
    return current;
  }

  private foldStored(current: Loaded<S>, commit: StoredCommit): Loaded<S> {
    return this.fold(current, commit.seq, commit.subject, commit.hash, commit.events);
  }

  private fold(current: Loaded<S>, seq: number, subject: string, hash: string, events: readonly RecordedEvent[]): Loaded<S> {
    let state = current.state;
    for (const event of events) state = this.evolver.evolve(state, event);
    current.heads.set(subject, hash);
    return { state, seq, heads: current.heads, unsaved: current.unsaved + 1, followedIn: current.followedIn };
  }

  private keep(scopeId: string, loaded: Loaded<S>): void {
    if (loaded.seq === 0) return;
    // A read that finished after a newer append must not put an older state back; nor may a state
    // read while following was not provable replace the same state still being followed.
    const cached = this.cache.get(scopeId);
    if (cached && cached.seq > loaded.seq) return;
    if (cached && cached.seq === loaded.seq && this.isFollowed(cached) && !this.isFollowed(loaded)) return;
    this.cache.set(scopeId, loaded);
    if (loaded.unsaved >= this.snapshotEvery) this.save(scopeId, loaded);
  }

  /** Saves the state in the background: a snapshot that fails to save costs a longer load later. */
  private save(scopeId: string, loaded: Loaded<S>): void {
    const spec = this.evolver.snapshot;
    if (!spec || !this.o.snapshots) return;
    loaded.unsaved = 0;
    const snapshot: StateSnapshot = {
      format: spec.format,
      seq: loaded.seq,
      state: loaded.state,
      heads: Object.fromEntries(loaded.heads.entries()),
    };
    this.o.snapshots.put(spec.key(scopeId), snapshot).catch((err) => {
      this.o.log?.warn({ scopeId, err: String(err) }, 'could not save a snapshot');
    });
  }
}
