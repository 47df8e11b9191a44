// The projection runner against the real NATS and Postgres: exactly-once under redelivery and under
// a crash between the database commit and the ack, batching, poison messages, live-change chains.
import { silentLogger } from '@blotter/eventstore';
import t, { type Test } from 'tap';
import { openTestStore, createTestDatabase } from '@blotter/test-kit';
import { type AnyReadModel, allReadModels, applyBatch, type ChannelChange, InMemoryReplay, ProjectionRunner } from '../src/index.ts';
import { openAccount, seedTrading, Trader } from './seed.ts';
import { tableRows } from './util.ts';
import { eventually } from '@blotter/test-kit/procs';

async function setup(t: Test) {
  const ctx = await openTestStore({ partitions: 2 });
  const tdb = await createTestDatabase();
  t.teardown(async () => {
    await tdb.drop();
    await ctx.close();
  });
  return { ...ctx, ...tdb };
}

function runner(env: Awaited<ReturnType<typeof setup>>, extra: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {}) {
  return new ProjectionRunner({
    store: env.store,
    db: env.db,
    schema: 'public',
    models: allReadModels,
    group: 'proj',
    log: silentLogger,
    ackWaitMs: 2000,
    ...extra,
  });
}

/** Caught up: every partition's consumer has nothing left to deliver and nothing awaiting an ack. */
async function caughtUp(env: Awaited<ReturnType<typeof setup>>, group = 'proj') {
  await eventually(
    async () => {
      for (const p of [0, 1]) {
        const info = await env.store.jsm.consumers.info(env.store.streams.events, `${group}-p${p}`);
        if (info.num_pending + info.num_ack_pending > 0) return false;
      }
      return true;
    },
    30_000,
    'the projection to catch up',
  );
}

async function expectedState(env: Awaited<ReturnType<typeof setup>>) {
  const replay = new InMemoryReplay(allReadModels);
  for await (const commit of env.store.read()) replay.apply(commit);
  return replay;
}

async function assertMatchesReplay(t: Test, env: Awaited<ReturnType<typeof setup>>) {
  const replay = await expectedState(env);
  for (const model of allReadModels as AnyReadModel[]) {
    const live = await tableRows(env.db, model);
    const expected = Object.fromEntries([...replay.rows(model.name)].map((r) => [model.keyOf(r), r]));
    t.same(live, expected, `${model.name} equals a replay of the stream`);
  }
}

t.test('projects a realistic stream exactly as a replay of it, in batches', async (t) => {
  const env = await setup(t);
  await seedTrading(env.store, 5, 12);
  const r = runner(env, { batchSize: 50 });
  await r.start();
  await caughtUp(env);
  await r.stop();
  await assertMatchesReplay(t, env);
  const stats = r.partitionStats();
  const events = stats.reduce((n, s) => n + s.events, 0);
  const batches = stats.reduce((n, s) => n + s.batches, 0);
  t.ok(batches < events / 4, `events were applied in batches (${events} events x 4 models in ${batches} batches)`);

  const balances = await env.db.selectFrom('balances').selectAll().where('asset', '=', 'USDT').execute();
  t.equal(balances.length, 5);
  // 8 filled orders of 0.01 BTC at 59990 x 0.004 + 60000 x 0.006 = 599.96 USDT each; 4 canceled.
  for (const b of balances) t.match(b, { free: String(100000 - 8 * 599.96), locked: '0' }, 'USDT balance to the cent');
});

t.test('the tail of a burst is applied without waiting for a redelivery', async (t) => {
  // With ack_wait far away, only the runner itself can apply the last, partial batch. (Flushing
  // when nats.js's queue looked empty left it waiting for the next message or for ack_wait.)
  const env = await setup(t);
  await seedTrading(env.store, 7, 13);
  const r = runner(env, { batchSize: 64, ackWaitMs: 600_000 });
  await r.start();
  await caughtUp(env);
  await r.stop();
  t.equal(
    r.partitionStats().reduce((n, s) => n + s.deadLettered, 0),
    0,
    'nothing dead-lettered',
  );
  await assertMatchesReplay(t, env);
});

t.test('redelivery of everything changes nothing (checkpoint skip)', async (t) => {
  const env = await setup(t);
  await seedTrading(env.store, 3, 6);
  const first = runner(env);
  await first.start();
  await caughtUp(env);
  await first.stop();
  const before = await Promise.all((allReadModels as AnyReadModel[]).map((m) => tableRows(env.db, m)));
  // Every commit again, partition by partition, as a holder that lost its lease mid-batch (or a
  // redelivery) would hand them to the same database.
  const commits = [];
  for await (const c of env.store.read()) commits.push(c);
  let applied = 0;
  for (const p of [0, 1]) {
    const mine = commits.filter((c) => c.subject.split('.')[2] === String(p));
    applied += (await applyBatch(env.db, 'public', allReadModels, p, mine)).applied;
  }
  t.ok(commits.length > 0, `${commits.length} commits handed over again`);
  t.equal(applied, 0, 'no event applied twice');
  t.same(await Promise.all((allReadModels as AnyReadModel[]).map((m) => tableRows(env.db, m))), before, 'every read model unchanged');
  await assertMatchesReplay(t, env);
});

t.test('messages a killed holder fetched and never acked are still applied, in order', async (t) => {
  const env = await setup(t);
  await seedTrading(env.store, 3, 6);
  // A previous holder of a partition fetched the first messages and died without acking them: the
  // server redelivers them only after ack_wait, after newer ones. Skipping at or below the
  // checkpoint would then lose them, unless the next holder reads from its checkpoint.
  // The partition with the most commits (users hash to partitions, so either may be the busier).
  let inOne = 0;
  let all = 0;
  for await (const c of env.store.read()) {
    all++;
    if (c.subject.split('.')[2] === '1') inOne++;
  }
  const p = inOne * 2 > all ? 1 : 0;
  const { openConsumer } = await import('../src/index.ts');
  await openConsumer(env.store, {
    name: `proj-p${p}`,
    filter: env.store.subjects.partitionEvents(p),
    startAfterSeq: 0,
    ackWaitMs: 1000,
    maxAckPending: 1000,
  });
  const dead = await env.store.js.consumers.get(env.store.streams.events, `proj-p${p}`);
  const held = [];
  // One at a time: a fetch may end early with fewer messages than asked for.
  for (let tries = 0; held.length < 5 && tries < 20; tries++) {
    const m = await dead.next({ expires: 2000 });
    if (m) held.push(m.seq);
  }
  t.equal(held.length, 5, 'the dead holder had 5 messages in hand');
  const r = runner(env, { ackWaitMs: 1000 });
  await r.start();
  t.teardown(() => r.stop());
  await caughtUp(env);
  await r.stop();
  await assertMatchesReplay(t, env);
});

t.test('a crash after the commit but before the ack is harmless', async (t) => {
  const env = await setup(t);
  const users = await seedTrading(env.store, 2, 3);
  // Commit the first half of the stream straight to the database, as a runner would, without acks.
  const commits = [];
  for await (const c of env.store.read()) commits.push(c);
  const half = commits.slice(0, Math.floor(commits.length / 2));
  for (const p of [0, 1]) {
    const mine = half.filter((c) => c.subject.split('.')[2] === String(p));
    const { ensureCheckpoints } = await import('../src/index.ts');
    await ensureCheckpoints(
      env.db,
      'public',
      allReadModels.map((m) => m.name),
      p,
    );
    await applyBatch(env.db, 'public', allReadModels, p, mine);
  }
  // The runner resumes after the committed checkpoints; nothing is applied twice or missed.
  const r = runner(env);
  await r.start();
  await caughtUp(env);
  await r.stop();
  await assertMatchesReplay(t, env);
  t.equal(users.length, 2);
});

t.test('change notices chain versions per user and channel', async (t) => {
  const env = await setup(t);
  const changes: ChannelChange[] = [];
  const r = runner(env, { onChanges: (c) => changes.push(...c) });
  await r.start();
  const trader = new Trader(env.store);
  const user = '0192f4a7-0000-7000-8000-00000000abcd';
  await openAccount(env.store, user);
  const orderId = await trader.place(user);
  await trader.fill(user, orderId, 't1', '0.004', '60000', 'PARTIALLY_FILLED');
  await trader.fill(user, orderId, 't2', '0.006', '60000', 'FILLED');
  await caughtUp(env);
  await r.stop();
  for (const channel of ['orders', 'balances', 'trades', 'positions']) {
    const mine = changes.filter((c) => c.channel === channel && c.userId === user);
    t.ok(mine.length > 0, `${channel} changes announced`);
    let prev = 0;
    for (const c of mine) {
      t.equal(c.prevVersion, prev, `${channel} ${c.version} links to ${prev}`);
      t.ok(c.version > prev);
      prev = c.version;
    }
  }
  const lastOrder = changes.filter((c) => c.channel === 'orders').at(-1);
  t.match(lastOrder?.rows[0], { orderId, status: 'FILLED', filledQuantity: '0.01', avgFillPrice: '60000' });
});

t.test('a poison message is retried, dead-lettered with its sequence, and the projection goes on', async (t) => {
  const env = await setup(t);
  const trader = new Trader(env.store);
  const user = '0192f4a7-0000-7000-8000-00000000beef';
  await openAccount(env.store, user);
  const poisonSubject = env.store.subjects.order(user, '0192f4a8-0000-7000-8000-00000000dead');
  const bad = await env.store.js.publish(poisonSubject, new TextEncoder().encode('{"garbage": true}'));
  const orderId = await trader.place(user);
  const r = runner(env, { poisonAttempts: 2, poisonDelayMs: 50 });
  await r.start();
  await caughtUp(env);
  await r.stop();
  const row = await env.db.selectFrom('orders').selectAll().where('orderId', '=', orderId).executeTakeFirst();
  t.equal(row?.status, 'PENDING_NEW', 'the order after the poison message was projected');
  t.equal(
    r.partitionStats().reduce((n, s) => n + s.deadLettered, 0),
    1,
  );
  const dead = await env.store.jsm.streams.getMessage(env.store.streams.deadLetters, { last_by_subj: `${env.namespace}.dlq.proj` });
  t.equal(dead.header.get('Blotter-Original-Seq'), String(bad.seq));
  t.match(dead.header.get('Blotter-Error'), /not a commit/);
});

t.test('a commit delivered twice in one batch is applied once', async (t) => {
  const env = await setup(t);
  await seedTrading(env.store, 1, 2);
  const commits = [];
  for await (const c of env.store.read()) commits.push(c);
  const partition = Number(commits[0]?.subject.split('.')[2]);
  const { ensureCheckpoints } = await import('../src/index.ts');
  await ensureCheckpoints(
    env.db,
    'public',
    allReadModels.map((m) => m.name),
    partition,
  );
  const shuffled = [...commits, ...commits.slice(1, 4)].reverse();
  await applyBatch(env.db, 'public', allReadModels, partition, shuffled);
  await assertMatchesReplay(t, env);
});
