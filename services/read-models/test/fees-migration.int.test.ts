// The fees-per-asset migration fills existing rows from the trades table: an order that paid its
// fees in two assets (the second was dropped by the old read model) gets both, and its fee in the
// quote asset; positions get feesByAsset. A fee in a third asset recorded before rates were kept
// has no quote value (as its upcast event has none), but is listed.
import { sql } from 'kysely';
import t from 'tap';
import { migrateReadModels, READ_MODEL_MIGRATIONS } from '../src/index.ts';
import { createTestDatabase } from '@blotter/test-kit';

const USER = '0185a1b2-0000-7000-8000-00000000000a';
const A = '0185a1b3-0000-7000-8000-00000000000a';
const B = '0185a1b3-0000-7000-8000-00000000000b';
const C = '0185a1b3-0000-7000-8000-00000000000c';
const AT = '2025-03-01T09:00:00.000Z';

t.test('orders and positions of the old shape are migrated to fees per asset', async (t) => {
  const tdb = await createTestDatabase({ migrate: false });
  t.teardown(() => tdb.drop());
  const db = tdb.db;
  t.equal(READ_MODEL_MIGRATIONS[0], '2026-11-24-001-read-models');
  await migrateReadModels(db, 'public', READ_MODEL_MIGRATIONS[0]);

  const order = (id: string, side: string, fee: string, feeAsset: string | null) =>
    sql`insert into orders values (${id}, ${USER}, null, 'BTCUSDT', 'BTC', 'USDT', ${side}, 'LIMIT', 'GTC', 0.01, 60000, null, 'paper',
      'FILLED', 0.01, 600, ${fee}, ${feeAsset}, 'USDT', 600.6, 0, '77', null, '{}', ${AT}, ${AT}, 9)`.execute(db);
  const trade = (orderId: string, id: string, side: string, qty: string, price: string, fee: string, feeAsset: string) =>
    sql`insert into trades values (${`${orderId}:${id}`}, ${id}, ${orderId}, ${USER}, 'BTCUSDT', ${side}, ${price}, ${qty},
      ${qty}::numeric * ${price}::numeric, ${fee}, ${feeAsset}, ${AT}, 9)`.execute(db);
  // A: two fills, both charged in BTC. B: a SELL charged in USDT. C: BNB then BTC (the old row kept BNB only).
  await order(A, 'BUY', '0.00001', 'BTC');
  await trade(A, '1', 'BUY', '0.004', '60000', '0.000004', 'BTC');
  await trade(A, '2', 'BUY', '0.006', '60010', '0.000006', 'BTC');
  await order(B, 'SELL', '0.61', 'USDT');
  await trade(B, '3', 'SELL', '0.01', '61000', '0.61', 'USDT');
  await order(C, 'BUY', '0.0002', 'BNB');
  await trade(C, '4', 'BUY', '0.005', '60000', '0.0002', 'BNB');
  await trade(C, '5', 'BUY', '0.005', '60000', '0.000005', 'BTC');
  await sql`insert into positions values (${USER}, 'BTCUSDT', 0.009985, 60000, 1.1, 1.21006, 9)`.execute(db);

  await migrateReadModels(db);
  const orders = await tdb.db.selectFrom('orders').select(['orderId', 'fee', 'fees']).orderBy('orderId').execute();
  t.same(orders, [
    { orderId: A, fee: '0.60006', fees: [{ asset: 'BTC', amount: '0.00001' }] },
    { orderId: B, fee: '0.61', fees: [{ asset: 'USDT', amount: '0.61' }] },
    {
      orderId: C,
      fee: '0.3',
      fees: [
        { asset: 'BNB', amount: '0.0002' },
        { asset: 'BTC', amount: '0.000005' },
      ],
    },
  ]);
  const columns = await sql<{
    column_name: string;
  }>`select column_name from information_schema.columns where table_name = 'orders'`.execute(db);
  t.notOk(
    columns.rows.some((c) => c.column_name === 'fee_asset'),
    'fee_asset is gone (the view derives it)',
  );
  t.same(await tdb.db.selectFrom('positions').select(['fees', 'feesByAsset']).execute(), [
    {
      fees: '1.21006',
      feesByAsset: [
        { asset: 'BNB', amount: '0.0002' },
        { asset: 'BTC', amount: '0.000015' },
        { asset: 'USDT', amount: '0.61' },
      ],
    },
  ]);
});
