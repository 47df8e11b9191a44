// The facts PlaceOrder decides on come from one statement; they must equal what the read models
// say through the REST API, to the last digit, and follow the user's venue and open orders.
import type { Kysely } from 'kysely';
import t from 'tap';
import { preTradeFacts } from '../src/commands/pre-trade-facts.ts';
import { as, eventually, register, startStack } from './helper.ts';

const stack = await startStack(t);
const { app } = stack;
const facts = (userId: string) => preTradeFacts(app.db as Kysely<unknown>, app.readSchema, userId);

t.test('a new paper account: its venue, its projected balances exactly, no open orders', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  const rest = await eventually(async () => {
    const body = (await api({ method: 'GET', url: '/api/balances' })).json();
    return body.balances.length > 0 ? body : undefined;
  });
  const f = await facts(s.userId);
  t.equal(f?.venue, 'paper');
  t.same(
    f?.free,
    Object.fromEntries(rest.balances.map((b: { asset: string; free: string }) => [b.asset, b.free])),
    'free balances as strings',
  );
  t.equal(f?.balancesVersion, rest.version, 'the balances version the REST snapshot carries');
  t.equal(f?.openOrders, 0);
});

t.test('open orders and locked funds show once projected; pending cancels still count', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  const place = async (price: string) => {
    const res = await api({
      method: 'POST',
      url: '/api/orders',
      payload: { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price },
    });
    t.equal(res.statusCode, 201, `placed at ${price}`);
    return res.json().order;
  };
  const first = await place('1000.12');
  await place('1000.34');
  const f = await eventually(async () => {
    const got = await facts(s.userId);
    return got?.openOrders === 2 && got.free.USDT !== '10000' ? got : undefined;
  });
  // 10000 − (10.0012 + 10.0034) × 1.001 (fee margin) = 9979.9753954: the decimal survives the JSON aggregate.
  const rest = (await api({ method: 'GET', url: '/api/balances' })).json();
  t.equal(f.free.USDT, rest.balances.find((b: { asset: string }) => b.asset === 'USDT').free);
  t.equal(f.free.USDT, '9979.9753954', 'no float rounding');
  t.equal((await api({ method: 'DELETE', url: `/api/orders/${first.orderId}` })).statusCode, 202);
  // No executor here: the cancel stays PENDING_CANCEL, which still reserves a slot (the venue may fill it).
  await eventually(async () => {
    const listed = (await api({ method: 'GET', url: '/api/orders?status=open' })).json().orders;
    return listed.some((o: { status: string }) => o.status === 'PENDING_CANCEL') || undefined;
  });
  t.equal((await facts(s.userId))?.openOrders, 2, 'a PENDING_CANCEL order still counts');
});

t.test('an unknown user has no facts', async (t) => {
  t.equal(await facts('00000000-0000-7000-8000-000000000000'), null);
});
