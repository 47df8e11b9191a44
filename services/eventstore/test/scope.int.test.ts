// One optimistic-concurrency check over all of a user's subjects, on the real nats-server: the
// store's scoped append, its batched scope reads, and the repository every writer goes through.
import { setTimeout as sleep } from 'node:timers/promises';
import t, { type Test } from 'tap';
import { type AccountEvent, type DomainEvent, parseEventSubject } from '@blotter/schemas';
import type { NatsConnection } from 'nats';
import {
  ConcurrencyError,
  type Decision,
  EventStore,
  isWrongLastSequence,
  type RecordedEvent,
  type ScopeEvolver,
  ScopeRepository,
  scopeStats,
  SnapshotStore,
  UnsupportedServerError,
  uuidv7,
} from '../src/index.ts';
import { eventually, openTestStore } from '@blotter/test-kit';

const ctx = await openTestStore();
t.teardown(ctx.close);
const { store } = ctx;

const grant = (userId: string, n: number): AccountEvent => ({ type: 'RoleGranted', data: { userId, role: 'auditor', grantedBy: `w${n}` } });
const meta = (userId: string, subject: string, commitId = uuidv7()) => ({
  commitId,
  subject,
  aggregateId: userId,
  userId,
  occurredAt: new Date().toISOString(),
});
const orderSubject = (userId: string) => store.subjects.order(userId, uuidv7());

t.test('two writers to two orders of one user with the same expected scope sequence: exactly one wins, every time', async (t) => {
  const user = uuidv7();
  const other = uuidv7();
  const scope = store.subjects.userEvents(user);
  let expected = 0;
  let otherSeq = 0;
  let winners = 0;
  for (let round = 0; round < 200; round++) {
    const [a, b, c] = await Promise.allSettled([
      store.append(meta(user, orderSubject(user)), [grant(user, 1)], expected, null, scope),
      store.append(meta(user, orderSubject(user)), [grant(user, 2)], expected, null, scope),
      // Another user, appending at the same moment, is never held up by this user's race.
      store.append(meta(other, orderSubject(other)), [grant(other, 3)], otherSeq, null, store.subjects.userEvents(other)),
    ]);
    const won = [a, b].filter((r) => r?.status === 'fulfilled');
    const lost = [a, b].filter((r): r is PromiseRejectedResult => r?.status === 'rejected');
    if (won.length !== 1 || !lost.every((r) => isWrongLastSequence(r.reason))) t.fail(`round ${round}: ${won.length} winners`);
    winners += won.length;
    expected = (won[0] as PromiseFulfilledResult<{ seq: number }>).value.seq;
    t.equal(c?.status, 'fulfilled', `round ${round}: the other user's append`) || t.end();
    otherSeq = (c as PromiseFulfilledResult<{ seq: number }>).value.seq;
  }
  t.equal(winners, 200, 'one winner in each of 200 rounds');
  t.equal(await store.lastSeqOf(scope), expected, 'the scope ends at the last winner');
  t.equal((await store.readScope(scope)).length, 200, 'nothing but the winners was stored');
});

t.test('a scope is read whole, oldest first, across batch boundaries', async (t) => {
  const user = uuidv7();
  const scope = store.subjects.userEvents(user);
  let last = 0;
  const subjects = [store.subjects.account(user), orderSubject(user), orderSubject(user)];
  for (let i = 0; i < 1200; i++) {
    last = (await store.append(meta(user, subjects[i % 3] as string), [grant(user, i)], last, null, scope)).seq;
  }
  const all = await store.readScope(scope);
  t.equal(all.length, 1200);
  t.same(
    all.map((c) => (c.events[0]?.type === 'RoleGranted' ? c.events[0].data.grantedBy : '')),
    Array.from({ length: 1200 }, (_, i) => `w${i}`),
  );
  const tail = await store.readScope(scope, all[1000]?.seq);
  t.equal(tail.length, 199, 'the tail after a sequence');
  t.same(await store.readScope(store.subjects.userEvents(uuidv7())), [], 'an empty scope');
  t.equal(await store.lastSeqOf(store.subjects.userEvents(uuidv7())), 0);
});

t.test('an append is idempotent by commit id, even after the scope moved on', async (t) => {
  const user = uuidv7();
  const scope = store.subjects.userEvents(user);
  const m = meta(user, orderSubject(user));
  const first = await store.append(m, [grant(user, 1)], 0, null, scope);
  await store.append(meta(user, orderSubject(user)), [grant(user, 2)], first.seq, null, scope);
  const retry = await store.append(m, [grant(user, 1)], 0, null, scope);
  t.same([retry.duplicate, retry.seq], [true, first.seq], 'the retry is recognised as the stored commit');
  const stranger = store.append(meta(user, orderSubject(user)), [grant(user, 3)], 0, null, scope);
  await t.rejects(stranger, 'a different commit with a stale sequence still conflicts');
});

t.test('a server older than 2.11 is refused before anything is written', async (t) => {
  const old = { info: { version: '2.10.27' } } as unknown as NatsConnection;
  await t.rejects(EventStore.open(old, { namespace: 'x', partitions: 1, replicas: 1, duplicateWindowMs: 1000 }), UnsupportedServerError);
});

/** A tiny scope state for the tests: every grant seen, and the sequence of the last event. */
interface Tally {
  grants: string[];
  seq: number;
}
const tally: ScopeEvolver<Tally> = {
  initialState: () => ({ grants: [], seq: 0 }),
  evolve: (s, e: RecordedEvent) => (e.type === 'RoleGranted' ? { grants: [...s.grants, e.data.grantedBy], seq: e.seq } : s),
  snapshot: {
    key: (id) => `tally.${id}`,
    format: 1,
    check: (v: unknown): v is Tally => typeof v === 'object' && v !== null && Array.isArray((v as Tally).grants),
  },
};
const repoOf = (options: { snapshotEvery?: number; snapshots?: SnapshotStore } = {}) =>
  new ScopeRepository<Tally, DomainEvent>(store, tally, { scopeOf: store.subjects.userEvents, ...options });
const decideGrant =
  (user: string, label: string, subject = store.subjects.account(user)) =>
  (s: Tally): Decision<DomainEvent> => ({
    subject,
    aggregateId: user,
    events: [{ type: 'RoleGranted', data: { userId: user, role: 'auditor', grantedBy: `${label}@${s.seq}` } }],
    commitId: uuidv7(),
    occurredAt: new Date().toISOString(),
  });

t.test('writers in different processes never decide from the same state', async (t) => {
  const user = uuidv7();
  const writers = Array.from({ length: 6 }, () => repoOf());
  await Promise.all(writers.flatMap((repo, w) => Array.from({ length: 10 }, (_, i) => repo.handle(user, decideGrant(user, `w${w}-${i}`)))));
  const { state } = await repoOf().loadFresh(user);
  t.equal(state.grants.length, 60, 'every command landed once');
  const decidedOn = state.grants.map((g) => g.split('@')[1]);
  t.equal(new Set(decidedOn).size, 60, 'each was decided on a different state (the sequence it saw)');
});

t.test('every subject stays a hash chain while writers race over the scope', async (t) => {
  const user = uuidv7();
  const subjects = [store.subjects.account(user), orderSubject(user)];
  const writers = Array.from({ length: 4 }, () => repoOf());
  await Promise.all(
    writers.flatMap((repo, w) => subjects.map((subject, i) => repo.handle(user, decideGrant(user, `w${w}-${i}`, subject)))),
  );
  for (const subject of subjects) {
    const commits = await store.readSubject(subject);
    t.equal(commits.length, 4, subject);
    t.equal(commits[0]?.prevHash, null, 'a chain starts with no previous hash');
    for (let i = 1; i < commits.length; i++) t.equal(commits[i]?.prevHash, commits[i - 1]?.hash, `link ${i} of ${subject}`);
  }
});

t.test('a writer that keeps losing gives up with ConcurrencyError', async (t) => {
  const user = uuidv7();
  const loser = new ScopeRepository<Tally, DomainEvent>(store, tally, { scopeOf: store.subjects.userEvents, maxConflicts: 1 });
  await loser.handle(user, decideGrant(user, 'first'));
  await repoOf().handle(user, decideGrant(user, 'winner'));
  await t.rejects(loser.handle(user, decideGrant(user, 'stale')), ConcurrencyError);
});

t.test('a decision that appends nothing, or refuses, is confirmed on the current state', async (t) => {
  const user = uuidv7();
  const a = repoOf();
  const b = repoOf();
  await a.handle(user, decideGrant(user, 'first'));
  await b.handle(user, decideGrant(user, 'second'));
  const seen: number[] = [];
  const noop = await a.handle(user, (s) => {
    seen.push(s.grants.length);
    return null;
  });
  t.same(seen, [1, 2], 'decided again once the stale state was noticed');
  t.equal(noop.state.grants.length, 2);
  await b.handle(user, decideGrant(user, 'third'));
  const refusals: number[] = [];
  await t.rejects(
    a.handle(user, (s) => {
      refusals.push(s.grants.length);
      throw new Error(`refused at ${s.grants.length}`);
    }),
    { message: 'refused at 3' },
  );
  t.same(refusals, [2, 3], 'a refusal is made again on fresh state before it is answered');
});

t.test('a repeated command id appends nothing and says so', async (t) => {
  const user = uuidv7();
  const repo = repoOf();
  const commitId = uuidv7();
  const decide = (s: Tally) => ({ ...decideGrant(user, 'once')(s), commitId });
  const first = await repo.handle(user, decide);
  const again = await repoOf().handle(user, decide);
  t.same([first.duplicate, again.duplicate], [false, true]);
  t.equal(again.state.grants.length, 1);
});

t.test('state is saved and loaded from a snapshot plus the stream after it', async (t) => {
  const user = uuidv7();
  const snapshots = new SnapshotStore(store);
  const writer = repoOf({ snapshots, snapshotEvery: 5 });
  for (let i = 0; i < 12; i++) await writer.handle(user, decideGrant(user, `g${i}`));
  await t.resolves(async () => {
    for (let i = 0; i < 50; i++) {
      const s = await snapshots.get(`tally.${user}`);
      if (s && s.seq > 0) return s;
      await sleep(20);
    }
    throw new Error('no snapshot');
  });
  const snap = await snapshots.get(`tally.${user}`);
  t.ok(snap && (snap.state as Tally).grants.length >= 10, 'a snapshot of at least 10 grants');
  const reader = repoOf({ snapshots });
  const { state, seq } = await reader.load(user);
  t.equal(state.grants.length, 12, 'snapshot plus tail is the whole state');
  t.equal(seq, await store.lastSeqOf(store.subjects.userEvents(user)));
  await snapshots.put(`tally.${user}`, { format: 1, seq: 1, state: { nonsense: true }, heads: {} });
  const { state: rebuilt } = await repoOf({ snapshots }).load(user);
  t.equal(rebuilt.grants.length, 12, 'a snapshot that fails its check is ignored: the state is rebuilt from the stream');
});

/** A repository that follows every user's subjects, stopped when the test ends. */
async function followingRepo(t: Test) {
  const repo = repoOf();
  await repo.followAll(store.subjects.allEvents, (subject) => parseEventSubject(subject)?.userId ?? null);
  t.teardown(() => repo.close());
  return repo;
}

t.test('following: what another writer appended is folded, so the next decision needs no lost race', async (t) => {
  const user = uuidv7();
  const follower = await followingRepo(t);
  const bystander = repoOf();
  await follower.handle(user, decideGrant(user, 'first'));
  await bystander.load(user);
  const other = repoOf();
  for (let i = 0; i < 5; i++) await other.handle(user, decideGrant(user, `other${i}`));
  const last = await store.lastSeqOf(store.subjects.userEvents(user));
  await eventually(async () => (await follower.load(user)).seq === last, 10_000, 'the follower folds the other writer’s commits');
  t.equal((await follower.load(user)).state.grants.length, 6, 'its cached state holds them, read from nowhere');
  t.equal((await follower.handle(user, decideGrant(user, 'next'))).conflicts, 0, 'decided on current state the first time');
  t.equal((await bystander.handle(user, decideGrant(user, 'next'))).conflicts, 1, 'a writer that does not follow loses a race first');
});

t.test(
  'following: under racing writers, cold loads and subject-only appends, no decision is made on a state missing a commit',
  async (t) => {
    const followedBefore = scopeStats.followed;
    const users = [uuidv7(), uuidv7(), uuidv7()];
    const followers = [await followingRepo(t), await followingRepo(t)];
    const plain = repoOf();
    const work: Promise<unknown>[] = [];
    for (const user of users) {
      for (let i = 0; i < 30; i++) {
        for (const [w, repo] of followers.entries()) {
          work.push(
            repo.handle(user, decideGrant(user, `f${w}-${i}`, i % 2 ? store.subjects.account(user) : orderSubject(user))).then(() => {
              // Now and then a state is dropped and loaded again while the others keep writing.
              if (Math.random() < 0.2) repo.forget(user);
            }),
          );
        }
        if (i % 2) work.push(plain.handle(user, decideGrant(user, `p-${i}`)));
        // The executor's kind of append: checked on its own (new) order subject only, not the scope.
        const subject = orderSubject(user);
        work.push(store.append(meta(user, subject), [grant(user, 1000 + i)], 0, null, subject));
      }
    }
    await Promise.all(work);
    for (const user of users) {
      const commits = await store.readScope(store.subjects.userEvents(user));
      t.equal(commits.length, 30 * 2 + 15 + 30, `${user}: every command and append stored once`);
      // Each decided grant names the sequence of the last event it saw: it must be the one right before it.
      let previous = 0;
      let wrong = 0;
      for (const c of commits) {
        const e = c.events[0];
        const claimed = e?.type === 'RoleGranted' ? e.data.grantedBy.split('@')[1] : undefined;
        if (claimed !== undefined && Number(claimed) !== previous) wrong++;
        previous = c.seq;
      }
      t.equal(wrong, 0, `${user}: every decision saw every commit before it`);
      for (const [w, repo] of followers.entries()) {
        await eventually(async () => (await repo.load(user)).seq === previous, 10_000, `follower ${w} catches up`);
        t.same((await repo.load(user)).state, (await repoOf().load(user)).state, `follower ${w}'s cached state is the state read whole`);
      }
    }
    t.ok(scopeStats.followed > followedBefore, `${scopeStats.followed - followedBefore} commits folded by following`);
  },
);

t.test('following: a commit handed over while the state was being read keeps that state unfollowed', async (t) => {
  // The read returns, then another writer appends X and the follower hands X over, then the state
  // is cached without X. Folding the next commit Y into it would give a state at Y's sequence that
  // lacks X: an append expecting that sequence would pass the server's check on a wrong state.
  const user = uuidv7();
  let duringRead: (() => Promise<void>) | null = null;
  const slowReads = new Proxy(store, {
    get(target, prop) {
      if (prop === 'readScope') {
        return async (...args: Parameters<EventStore['readScope']>) => {
          const commits = await target.readScope(...args);
          const hook = duringRead;
          duringRead = null;
          await hook?.();
          return commits;
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const follower = new ScopeRepository<Tally, DomainEvent>(slowReads, tally, { scopeOf: store.subjects.userEvents });
  await follower.followAll(store.subjects.allEvents, (subject) => parseEventSubject(subject)?.userId ?? null);
  t.teardown(() => follower.close());
  const other = repoOf();
  await other.handle(user, decideGrant(user, 'before'));
  const followedBefore = scopeStats.followed;
  duringRead = async () => {
    await other.handle(user, decideGrant(user, 'X'));
    // Long enough for the follower to hand X over (it folds nothing: no state is cached yet).
    await sleep(300);
  };
  await follower.load(user);
  await other.handle(user, decideGrant(user, 'Y'));
  await sleep(300);
  t.equal(scopeStats.followed, followedBefore, 'Y was not folded into the state that lacks X');
  const next = await follower.handle(user, decideGrant(user, 'next'));
  t.same(
    next.state.grants.map((g) => g.split('@')[0]),
    ['before', 'X', 'Y', 'next'],
    'the next decision saw X and Y',
  );
});
