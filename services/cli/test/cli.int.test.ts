// The auditor's command line against a real stack: events and exports, replay as of a moment,
// verify catching a hand-edited row, rebuild under live traffic, role grants, dead letters.
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { as, eventually, register, type Session, startStack } from '@blotter/test-kit';
import { sql } from 'kysely';
import { blotter } from './support.ts';

const stack = await startStack(t, { executor: 'in-process' });
const { app } = stack;

async function marketBuy(s: Session, quantity: string) {
  const api = as(app, s);
  const { order } = (
    await api({ method: 'POST', url: '/api/orders', payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity } })
  ).json();
  return eventually(async () => {
    const o = (await api({ method: 'GET', url: `/api/orders/${order.orderId}` })).json().order;
    return o.status === 'FILLED' ? o : undefined;
  });
}

const trader = await register(app);
const first = await marketBuy(trader, '0.002');
const second = await marketBuy(trader, '0.003');
const settled = () =>
  eventually(async () => {
    const positions = (await as(app, trader)({ method: 'GET', url: '/api/positions' })).json().positions;
    return positions[0] && Number(positions[0].quantity) > 0.0049 ? positions : undefined;
  });
await settled();

t.test('events: filters by order, user (email), type; --json; unknown command exits 2', async (t) => {
  const byOrder = await blotter(stack, 'events', '--order', first.orderId, '--json');
  t.equal(byOrder.code, 0);
  t.same(
    JSON.parse(byOrder.out).map((e: { type: string }) => e.type),
    ['OrderPlaced', 'OrderAccepted', 'OrderFilled'],
  );
  const byUser = JSON.parse((await blotter(stack, 'events', '--user', trader.email, '--type', 'OrderFilled', '--json')).out);
  t.equal(byUser.length, 2);
  t.ok(byUser.every((e: { userId: string }) => e.userId === trader.userId));
  const table = await blotter(stack, 'events', '--user', trader.userId, '--limit', '2');
  t.equal(table.out.trim().split('\n').length, 2, 'human table, limited');
  t.match(table.out, /AccountOpened/);
  t.equal((await blotter(stack, 'frobnicate')).code, 2);
  t.equal((await blotter(stack, 'events', '--since', 'yesterday')).code, 2, 'a bad time is a usage error');
});

t.test('export: JSON lines with full envelopes, and CSV', async (t) => {
  const jsonl = await blotter(stack, 'export', '--format', 'jsonl', '--order', second.orderId);
  const lines = jsonl.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.match(lines[0], {
    seq: Number,
    type: 'OrderPlaced',
    version: 2,
    eventId: String,
    userId: trader.userId,
    data: { orderId: second.orderId },
  });
  const csv = await blotter(stack, 'export', '--format', 'csv', '--order', second.orderId);
  t.match(csv.out.split('\n')[0], /^seq,storedAt,occurredAt,type/);
  t.equal(csv.out.trim().split('\n').length, lines.length + 1);
});

t.test('replay --as-of a sequence between the two fills shows the position after the first only', async (t) => {
  const firstFilled = JSON.parse((await blotter(stack, 'events', '--order', first.orderId, '--type', 'OrderFilled', '--json')).out);
  const seq = firstFilled.at(-1).seq;
  const asOf = JSON.parse((await blotter(stack, 'replay', '--as-of', String(seq), '--user', trader.email, '--json')).out);
  const fee = firstFilled.reduce((n: number, e: { data: { fee: string } }) => n + Number(e.data.fee), 0);
  t.equal(asOf.positions.length, 1);
  t.equal(Number(asOf.positions[0].quantity), Number((0.002 - fee).toFixed(8)), 'quantity after the first fill');
  t.same(
    asOf.orders.map((o: { orderId: string }) => o.orderId),
    [first.orderId],
    'the second order did not exist yet',
  );
  const now = JSON.parse((await blotter(stack, 'replay', '--as-of', new Date().toISOString(), '--user', trader.userId, '--json')).out);
  t.equal(now.orders.length, 2);
});

t.test('verify: clean, then the exact row after a hand edit, then clean after a rebuild', async (t) => {
  t.equal((await blotter(stack, 'verify')).code, 0);
  await sql`update balances set free = free + 1 where user_id = ${trader.userId} and asset = 'USDT'`.execute(stack.db);
  const bad = await blotter(stack, 'verify', '--json');
  t.equal(bad.code, 1);
  const report = JSON.parse(bad.out);
  t.match(report.differences, [{ table: 'balances', key: `${trader.userId}:USDT`, kind: 'changed', columns: [{ column: 'free' }] }]);
  t.equal(report.differences.length, 1, 'only that row');
  const rebuilt = await blotter(stack, 'rebuild', '--projection', 'balances');
  t.equal(rebuilt.code, 0, rebuilt.err);
  t.equal((await blotter(stack, 'verify')).code, 0, 'the rebuild repaired it');
});

t.test('rebuild under live traffic: no lost update and never an empty table', async (t) => {
  const traders = [await register(app), await register(app)];
  let stop = false;
  let sawEmpty = false;
  let placed = 0;
  const reader = (async () => {
    while (!stop) {
      const { rows } = await sql<{ n: string }>`select count(*) as n from orders`.execute(stack.db);
      if (Number(rows[0]?.n) === 0) sawEmpty = true;
    }
  })();
  const writers = traders.map(async (s) => {
    while (!stop) {
      const res = await as(
        app,
        s,
      )({ method: 'POST', url: '/api/orders', payload: { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' } });
      if (res.statusCode === 201) placed++;
      await sleep(100);
    }
  });
  const result = await blotter(stack, 'rebuild');
  stop = true;
  await Promise.all([reader, ...writers]);
  t.equal(result.code, 0, result.err);
  t.notOk(sawEmpty, 'readers never saw an empty orders table');
  t.ok(placed > 0, `${placed} orders placed during the rebuild`);
  await eventually(
    async () => {
      const counts = await Promise.all(
        traders.map(async (s) => (await as(app, s)({ method: 'GET', url: '/api/orders' })).json().orders.length),
      );
      return counts.reduce((a, b) => a + b, 0) === placed ? true : undefined;
    },
    30_000,
    'every order placed during the rebuild to be in the read model',
  );
  await eventually(async () => ((await blotter(stack, 'verify')).code === 0 ? true : undefined), 30_000, 'verify to be clean');
});

t.test('users grant makes an auditor and records the grant', async (t) => {
  const s = await register(app);
  const res = await blotter(stack, 'users', 'grant', '--email', s.email, '--role', 'auditor');
  t.equal(res.code, 0, res.err);
  const login = (
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: s.email, password: 'correct horse battery' } })
  ).json();
  t.same(login.user.roles, ['auditor']);
  const grants = JSON.parse((await blotter(stack, 'events', '--user', s.userId, '--type', 'RoleGranted', '--json')).out);
  t.match(grants, [{ data: { role: 'auditor', grantedBy: /^cli:/ } }]);
  t.equal((await blotter(stack, 'users', 'grant', '--email', 'nobody@example.com', '--role', 'auditor')).code, 2);
});
