// Fees per asset through the real runner into Postgres (issue 18, defects 2 and 3): an order whose
// fills are charged in BTC and then in BNB keeps both, its fee in USDT counts the BNB at the rate
// recorded on the fill, and the position's realized PnL and fees include it. The live tables equal
// an in-memory replay, and `blotter verify` finds them equal to a rebuild.
import { uuidv7, silentLogger } from '@blotter/eventstore';
import { openTestStore, createTestDatabase } from '@blotter/test-kit';
import { withMark } from '../src/positions/queries.ts';
import t from 'tap';
import { type AnyReadModel, allReadModels, InMemoryReplay, ProjectionRunner, verifyReadModels } from '../src/index.ts';
import { openAccount, Trader } from './seed.ts';
import { tableRows } from './util.ts';
import { eventually } from '@blotter/test-kit/procs';

t.test('an order charged in two assets keeps both; BNB counts in PnL at its recorded rate', async (t) => {
  const env = await openTestStore({ partitions: 1 });
  const tdb = await createTestDatabase();
  t.teardown(async () => {
    await tdb.drop();
    await env.close();
  });
  const userId = uuidv7();
  await openAccount(env.store, userId);
  const trader = new Trader(env.store);
  const buy = await trader.place(userId);
  await trader.fill(userId, buy, 'b1', '0.004', '60000', 'PARTIALLY_FILLED', { fee: '0.000004', feeAsset: 'BTC' });
  await trader.fill(userId, buy, 'b2', '0.006', '60000', 'FILLED', { fee: '0.00036', feeAsset: 'BNB', feeQuoteRate: '600' });
  const sell = await trader.place(userId, { side: 'SELL', quantity: '0.005', price: '61000' });
  await trader.fill(userId, sell, 's1', '0.005', '61000', 'FILLED', { fee: '0.00025', feeAsset: 'BNB', feeQuoteRate: '610' });

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
  await eventually(async () => {
    const info = await env.store.jsm.consumers.info(env.store.streams.events, runner.consumerName(0));
    return info.num_pending + info.num_ack_pending === 0;
  });

  const order = await tdb.db.selectFrom('orders').selectAll().where('orderId', '=', buy).executeTakeFirstOrThrow();
  t.match(order, {
    status: 'FILLED',
    // 0.000004 BTC at the fill price 60000 + 0.00036 BNB at 600
    fee: '0.456',
    fees: [
      { asset: 'BNB', amount: '0.00036' },
      { asset: 'BTC', amount: '0.000004' },
    ],
  });
  const position = await tdb.db.selectFrom('positions').selectAll().where('userId', '=', userId).executeTakeFirstOrThrow();
  // Bought 0.01 @ 60000 less the 0.000004 BTC fee; sold 0.005 @ 61000: +5 realized, minus every fee:
  // 0.24 (BTC) + 0.216 (BNB at 600) + 0.1525 (BNB at 610).
  t.match(withMark(position, '62000'), {
    quantity: '0.004996',
    avgEntryPrice: '60000',
    realizedPnl: '4.3915',
    fees: '0.6085',
    feesByAsset: [
      { asset: 'BNB', amount: '0.00061' },
      { asset: 'BTC', amount: '0.000004' },
    ],
    unrealizedPnl: '9.992',
  });
  const bnb = await tdb.db.selectFrom('balances').selectAll().where('userId', '=', userId).where('asset', '=', 'BNB').executeTakeFirst();
  t.match(bnb, { free: '-0.00061', locked: '0' }, 'the BNB fees are paid from the BNB balance');

  const replay = new InMemoryReplay(allReadModels);
  for await (const commit of env.store.read()) replay.apply(commit);
  for (const model of allReadModels as AnyReadModel[]) {
    const expected = Object.fromEntries(replay.rows(model.name).map((r) => [model.keyOf(r), r]));
    t.same(await tableRows(tdb.db, model), expected, `${model.name} equals an in-memory replay`);
  }
  const report = await verifyReadModels(env.store, tdb.db, 'public');
  t.ok(report.ok, `verify: ${JSON.stringify(report.differences.slice(0, 2))}`);
});
