// Events written by an older Blotter still replay. fixtures/v1-stream.jsonl holds commits from when
// OrderPlaced was at version 1 (no baseAsset/quoteAsset). They are published byte for byte into a
// fresh stream, projected by the real runner into a fresh database, and must come out exactly as
// an in-memory replay of the same commits, with the v2 fields upcast from the symbol, while the
// stored envelopes still say version 1 and their hash chains still verify.
//
// The namespace: the envelopes (and so the hashes) name the fixture's `blotter.` subjects, so the
// payload is never rewritten; only the NATS subject each line is published on gets this test's
// namespace in front. The namespace says where a stream lives, not what was written; the runner,
// the replay and the chain check all follow the message subject.
import { readFileSync } from 'node:fs';
import { commitHash, rawCommit, type StoredCommit, silentLogger } from '@blotter/eventstore';
import { openTestStore, createTestDatabase } from '@blotter/test-kit';
import { type Commit, decodeEvent } from '@blotter/schemas';
import t from 'tap';
import { type AnyReadModel, allReadModels, InMemoryReplay, ProjectionRunner, verifyReadModels } from '../src/index.ts';
import { FIXTURE_NAMESPACE, FIXTURE_PARTITIONS } from './fixtures/make-v1-stream.ts';
import { tableRows } from './util.ts';
import { eventually } from '@blotter/test-kit/procs';

const lines = readFileSync(new URL('./fixtures/v1-stream.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);
const fixture = lines.map((line) => {
  const commit = rawCommit(new TextEncoder().encode(line));
  if (!commit) throw new Error(`not a commit: ${line.slice(0, 80)}`);
  return { bytes: new TextEncoder().encode(line), commit };
});
const ORDER = (n: number) => `0185a1b3-0000-7000-8000-00000000000${n}`;
const ADA = '0185a1b2-0000-7000-8000-00000000000a';

t.test('the fixture is what an older Blotter wrote: OrderPlaced v1, intact hash chains', async (t) => {
  const placed = fixture.flatMap(({ commit }) => commit.events).filter((e) => e.type === 'OrderPlaced');
  t.equal(placed.length, 4);
  for (const e of placed) {
    t.equal(e.version, 1);
    t.notOk('baseAsset' in (e.data as object), 'v1 data has no baseAsset');
  }
  const last = new Map<string, string>();
  for (const { commit } of fixture) {
    const subject = commit.events[0]?.subject as string;
    t.equal(commit.prevHash, last.get(subject) ?? null, `${commit.commitId} links to the previous commit of its aggregate`);
    t.equal(commit.hash, commitHash(commit.prevHash, commit.events), `${commit.commitId} hash`);
    last.set(subject, commit.hash);
  }
});

t.test('v1 commits replay through the real runner exactly as an in-memory replay, upcast', async (t) => {
  const env = await openTestStore({ partitions: FIXTURE_PARTITIONS });
  const tdb = await createTestDatabase();
  t.teardown(async () => {
    await tdb.drop();
    await env.close();
  });

  for (const { bytes, commit } of fixture) {
    const written = commit.events[0]?.subject as string;
    t.ok(written.startsWith(`${FIXTURE_NAMESPACE}.evt.`), written);
    const subject = env.namespace + written.slice(FIXTURE_NAMESPACE.length);
    const ack = await env.store.js.publish(subject, bytes, { msgID: commit.commitId, expect: { streamName: env.store.streams.events } });
    t.notOk(ack.duplicate, `${commit.commitId} stored`);
  }

  const runner = new ProjectionRunner({
    store: env.store,
    db: tdb.db,
    schema: 'public',
    models: allReadModels,
    group: 'proj',
    log: silentLogger,
  });
  await runner.start();
  t.teardown(() => runner.stop());
  await eventually(
    async () => {
      for (let p = 0; p < FIXTURE_PARTITIONS; p++) {
        const info = await env.store.jsm.consumers.info(env.store.streams.events, runner.consumerName(p));
        if (info.num_pending + info.num_ack_pending > 0) return false;
      }
      return true;
    },
    30_000,
    'the projection to catch up',
  );
  await runner.stop();
  t.equal(
    runner.partitionStats().reduce((n, s) => n + s.deadLettered, 0),
    0,
    'nothing dead-lettered',
  );

  const stored: StoredCommit[] = [];
  for await (const c of env.store.read()) stored.push(c);
  t.equal(stored.length, fixture.length, 'every fixture commit is in the stream');
  const replay = new InMemoryReplay(allReadModels);
  for (const c of stored) replay.apply(c);
  for (const model of allReadModels as AnyReadModel[]) {
    const expected = Object.fromEntries(replay.rows(model.name).map((r) => [model.keyOf(r), r]));
    // Price alerts came after the v1 stream was recorded: that model has nothing to show here.
    if (model.name !== 'alerts') t.ok(Object.keys(expected).length > 0, `${model.name} has rows`);
    t.same(await tableRows(tdb.db, model), expected, `${model.name} equals an in-memory replay`);
  }

  const orders = await tdb.db.selectFrom('orders').selectAll().orderBy('orderId').execute();
  t.match(
    orders.map(({ orderId, symbol, baseAsset, quoteAsset, status, filledQuantity }) => ({
      orderId,
      symbol,
      baseAsset,
      quoteAsset,
      status,
      filledQuantity,
    })),
    [
      { orderId: ORDER(1), symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', status: 'FILLED', filledQuantity: '0.01' },
      { orderId: ORDER(2), symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', status: 'PARTIALLY_FILLED', filledQuantity: '0.2' },
      { orderId: ORDER(3), symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', status: 'FILLED', filledQuantity: '0.1' },
      { orderId: ORDER(4), symbol: 'SOLUSDT', baseAsset: 'SOL', quoteAsset: 'USDT', status: 'PENDING_NEW', filledQuantity: '0' },
    ],
    'orders carry the assets the upcaster derived from the symbol',
  );
  const ada = await tdb.db.selectFrom('balances').selectAll().where('userId', '=', ADA).where('asset', '=', 'USDT').executeTakeFirst();
  // 100000 - 599.9 (BTC) - 600 - 0.6 fee (ETH fill) - 900.9 still locked for the open 0.3 ETH.
  t.match(ada, { free: '97898.6', locked: '900.9' }, "Ada's USDT to the cent");

  const placedEvents = stored.flatMap((c) => c.events).filter((e) => e.type === 'OrderPlaced');
  t.equal(placedEvents.length, 4);
  for (const e of placedEvents) {
    t.equal(e.writtenVersion, 1, `${e.aggregateId} was written as version 1`);
    t.match(e.data, { baseAsset: /^[A-Z]+$/, quoteAsset: 'USDT' }, 'and is read in the v2 shape');
  }
  const raw = stored.flatMap((c) => c.envelopes).find((e) => e.type === 'OrderPlaced') as Commit['events'][number];
  t.equal(raw.version, 1, 'the stored envelope is untouched');
  t.notOk('baseAsset' in (raw.data as object));
  t.match(decodeEvent(raw.type, raw.version, raw.data), {
    type: 'OrderPlaced',
    data: { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT' },
  });

  const report = await verifyReadModels(env.store, tdb.db, 'public');
  t.same(report.chain.brokenLinks, [], 'the hash chains verify from the stream');
  t.ok(report.ok, '`blotter verify` finds the live tables equal to a rebuild');
});
