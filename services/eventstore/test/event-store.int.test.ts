import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { type AccountEvent, type DomainEvent, partitionOf } from '@blotter/schemas';
import { commitHash, type Evolver, isWrongLastSequence, loadAggregate, PoisonMessageError, uuidv7 } from '../src/index.ts';
import { openTestStore } from '@blotter/test-kit';

const ctx = await openTestStore();
t.teardown(ctx.close);
const { store } = ctx;

const grant = (userId: string, n: number): AccountEvent => ({
  type: 'RoleGranted',
  data: { userId, role: 'auditor', grantedBy: `test-${n}` },
});
const meta = (userId: string, commitId = uuidv7()) => ({
  commitId,
  subject: store.subjects.account(userId),
  aggregateId: userId,
  userId,
  occurredAt: new Date().toISOString(),
});

/** A tiny aggregate for the tests: counts the grants it has seen. */
const counter: Evolver<{ grants: number; by: string[] }, AccountEvent> = {
  initialState: () => ({ grants: 0, by: [] }),
  evolve: (s, e) => (e.type === 'RoleGranted' ? { grants: s.grants + 1, by: [...s.by, e.data.grantedBy] } : s),
  isEvent: (e: DomainEvent): e is AccountEvent => e.type === 'RoleGranted' || e.type === 'AccountOpened',
};

t.test('append then read back by last, by sequence and by subject', async (t) => {
  const user = uuidv7();
  const subject = store.subjects.account(user);
  t.ok(subject.startsWith(`${ctx.namespace}.evt.${partitionOf(user, store.partitions)}.${user}`));
  const first = await store.append(meta(user), [grant(user, 1)], 0, null);
  const second = await store.append(meta(user), [grant(user, 2), grant(user, 3)], first.seq, first.hash);
  t.ok(second.seq > first.seq);

  const last = await store.last(subject);
  t.equal(last?.seq, second.seq);
  t.equal(last?.events.length, 2, 'a commit carries all events of its command');
  t.equal(last?.prevHash, first.hash, 'each commit chains to the previous one of the aggregate');
  t.equal(last?.hash, commitHash(first.hash, (await store.get(second.seq)) && JSON.parse(JSON.stringify(last)).events.map(stripRecorded)));

  const all = await store.readSubject(subject);
  t.same(
    all.map((c) => c.seq),
    [first.seq, second.seq],
  );
  t.same(
    all.flatMap((c) => c.events.map((e) => e.type === 'RoleGranted' && e.data.grantedBy)),
    ['test-1', 'test-2', 'test-3'],
  );
  t.same(
    (await store.readSubject(subject, first.seq)).map((c) => c.seq),
    [second.seq],
    'tail after a sequence',
  );
  t.equal(await store.last(store.subjects.account(uuidv7())), null, 'unknown aggregate');
});

t.test('a retried commit id is stored once (Nats-Msg-Id dedup)', async (t) => {
  const user = uuidv7();
  const m = meta(user);
  const a = await store.append(m, [grant(user, 1)], 0, null);
  const b = await store.append(m, [grant(user, 1)], 0, null);
  t.equal(b.duplicate, true);
  t.equal(b.seq, a.seq, 'the duplicate ack names the original sequence');
  t.equal((await store.readSubject(store.subjects.account(user))).length, 1);
});

t.test('a retry arriving after another writer still dedups rather than conflicting', async (t) => {
  const user = uuidv7();
  const m = meta(user);
  const a = await store.append(m, [grant(user, 1)], 0, null);
  await store.append(meta(user), [grant(user, 2)], a.seq, a.hash);
  const retry = await store.append(m, [grant(user, 1)], 0, null);
  t.equal(retry.duplicate, true, 'the store reads back the commit after the expected sequence and finds it is ours');
  t.equal((await store.readSubject(store.subjects.account(user))).length, 2);
});

t.test('the expected last subject sequence rejects a stale writer', async (t) => {
  const user = uuidv7();
  const a = await store.append(meta(user), [grant(user, 1)], 0, null);
  const results = await Promise.allSettled([
    store.append(meta(user), [grant(user, 2)], a.seq, a.hash),
    store.append(meta(user), [grant(user, 3)], a.seq, a.hash),
  ]);
  t.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one writer wins');
  const lost = results.find((r) => r.status === 'rejected');
  t.ok(lost && isWrongLastSequence(lost.reason), 'the loser gets wrong-last-sequence');
  await t.rejects(store.append(meta(user), [grant(user, 4)], 0, null), 'a second "create" fails');
});

t.test('loadAggregate folds one subject, from its beginning or from a state already loaded', async (t) => {
  const user = uuidv7();
  const subject = store.subjects.account(user);
  const first = await store.append(meta(user), [grant(user, 1)], 0, null);
  const half = await loadAggregate(store, subject, counter);
  t.same([half.state.grants, half.seq, half.hash], [1, first.seq, first.hash]);
  const second = await store.append(meta(user), [grant(user, 2), grant(user, 3)], first.seq, first.hash);
  const whole = await loadAggregate(store, subject, counter, half);
  t.same(whole.state.by, ['test-1', 'test-2', 'test-3']);
  t.same([whole.seq, whole.hash], [second.seq, second.hash]);
  t.same((await loadAggregate(store, store.subjects.account(uuidv7()), counter)).seq, 0, 'an aggregate that does not exist');
});

t.test('range reads: everything, by filter, from a sequence, up to a sequence, from a time', async (t) => {
  const users = [uuidv7(), uuidv7(), uuidv7()];
  const seqs: number[] = [];
  for (const [i, u] of users.entries()) seqs.push((await store.append(meta(u), [grant(u, i)], 0, null)).seq);
  // The cut is taken from the server's own receive time of the last early commit (not this
  // process's clock, which may read the moment differently under load), and the late commit is
  // written clearly after it.
  const lastEarly = await store.get(seqs[2] as number);
  const before = new Date((lastEarly?.time.getTime() ?? Date.now()) + 1);
  while (Date.now() < before.getTime() + 20) await sleep(10);
  const late = users[0] as string;
  const lateSeq = (await store.append(meta(late), [grant(late, 9)], seqs[0] as number, null)).seq;

  const all = [];
  for await (const c of store.read({ fromSeq: seqs[0] })) all.push(c.seq);
  t.same(all, [...seqs, lateSeq]);

  const one = [];
  for await (const c of store.read({ filter: store.subjects.userEvents(users[1] as string) })) one.push(c.seq);
  t.same(one, [seqs[1]]);

  const upTo = [];
  for await (const c of store.read({ fromSeq: seqs[0], toSeq: seqs[1] })) upTo.push(c.seq);
  t.same(upTo, [seqs[0], seqs[1]]);

  const since = [];
  for await (const c of store.read({ fromTime: before })) since.push(c.seq);
  t.same(since, [lateSeq]);

  const none = [];
  for await (const c of store.read({ filter: store.subjects.userEvents(uuidv7()) })) none.push(c.seq);
  t.same(none, [], 'an empty filter ends at once instead of waiting');
});

t.test('a message that is not a valid commit is a PoisonMessageError, not a crash', async (t) => {
  const user = uuidv7();
  const subject = store.subjects.account(user);
  await store.js.publish(subject, new TextEncoder().encode('{"not":"a commit"}'));
  await t.rejects(store.readSubject(subject), PoisonMessageError);
  const user2 = uuidv7();
  const bad = {
    commitId: 'x',
    prevHash: null,
    hash: 'a'.repeat(64),
    events: [{ ...envelope(user2), type: 'RoleGranted', version: 1, data: { userId: 'nope' } }],
  };
  await store.js.publish(store.subjects.account(user2), new TextEncoder().encode(JSON.stringify(bad)));
  await t.rejects(store.readSubject(store.subjects.account(user2)), /does not match its schema/);
});

t.test('the event stream refuses deletes and purges', async (t) => {
  const user = uuidv7();
  const a = await store.append(meta(user), [grant(user, 1)], 0, null);
  await t.rejects(store.jsm.streams.deleteMessage(store.streams.events, a.seq));
  await t.rejects(store.jsm.streams.purge(store.streams.events));
  t.ok(await store.get(a.seq));
});

function envelope(userId: string) {
  return {
    eventId: uuidv7(),
    subject: store.subjects.account(userId),
    aggregateId: userId,
    userId,
    occurredAt: new Date().toISOString(),
    causationId: null,
    correlationId: null,
  };
}

/** The stored envelope fields, as hashed, from a decoded event. */
function stripRecorded(e: Record<string, unknown>) {
  return {
    eventId: e.eventId,
    type: e.type,
    version: e.writtenVersion,
    subject: e.subject,
    aggregateId: e.aggregateId,
    userId: e.userId,
    occurredAt: e.occurredAt,
    causationId: e.causationId,
    correlationId: e.correlationId,
    data: e.data,
  };
}
