// The auditor API: role checks both ways, reads of every user's data, time travel between two fills,
// verify, and every audited read recorded as an event.
import t from 'tap';
import { grantRole } from '@blotter/accounts';
import { as, eventually, register, type Session, startStack } from '@blotter/test-kit';

const stack = await startStack(t, { executor: 'in-process' });
const { app } = stack;

async function auditor(): Promise<Session> {
  const s = await register(app);
  await grantRole(app.accounts, s.userId, 'auditor');
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: s.email, password: 'correct horse battery' },
  });
  return { ...s, token: login.json().token };
}

t.test('traders get 403 on audit routes; auditors cannot place or cancel orders', async (t) => {
  const trader = as(app, await register(app));
  for (const url of [
    '/api/audit/events',
    '/api/audit/orders',
    '/api/audit/users',
    '/api/audit/positions?asOf=1',
    '/api/audit/risk-limits',
  ]) {
    const res = await trader({ method: 'GET', url });
    t.equal(res.statusCode, 403, url);
    t.equal(res.json().error.code, 'FORBIDDEN');
  }
  t.equal((await trader({ method: 'POST', url: '/api/audit/verify' })).statusCode, 403);
  const audit = as(app, await auditor());
  const place = await audit({
    method: 'POST',
    url: '/api/orders',
    payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' },
  });
  t.equal(place.statusCode, 403);
  t.equal((await audit({ method: 'DELETE', url: '/api/orders/0192f4a8-0000-7000-8000-000000000000' })).statusCode, 403);
});

t.test("an auditor reads any user's orders, events and positions, and each read is on the record", async (t) => {
  const s = await register(app);
  const trader = as(app, s);
  const first = (
    await trader({ method: 'POST', url: '/api/orders', payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.002' } })
  ).json().order;
  await eventually(async () =>
    (await trader({ method: 'GET', url: `/api/orders/${first.orderId}` })).json().order.status === 'FILLED' ? true : undefined,
  );
  const filledSeq = (await trader({ method: 'GET', url: `/api/orders/${first.orderId}/events` })).json().events.at(-1).seq;
  const second = (
    await trader({ method: 'POST', url: '/api/orders', payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.003' } })
  ).json().order;
  await eventually(async () =>
    (await trader({ method: 'GET', url: `/api/orders/${second.orderId}` })).json().order.status === 'FILLED' ? true : undefined,
  );

  const a = await auditor();
  const audit = as(app, a);
  const orders = (await audit({ method: 'GET', url: `/api/audit/orders?user=${encodeURIComponent(s.email)}` })).json().orders;
  t.same(orders.map((o: { orderId: string }) => o.orderId).sort(), [first.orderId, second.orderId].sort());
  const events = (await audit({ method: 'GET', url: `/api/audit/orders/${first.orderId}/events` })).json().events;
  t.same(
    events.map((e: { type: string }) => e.type),
    ['OrderPlaced', 'OrderAccepted', 'OrderFilled'],
  );

  // Between the two fills, the position is the first fill only.
  const between = (await audit({ method: 'GET', url: `/api/audit/positions?user=${s.userId}&asOf=${filledSeq}` })).json();
  t.equal(between.positions.length, 1);
  const firstNet = (await trader({ method: 'GET', url: '/api/trades' }))
    .json()
    .trades.filter((x: { orderId: string }) => x.orderId === first.orderId);
  t.equal(
    between.positions[0].quantity,
    String(Number(firstNet[0].quantity) - Number(firstNet[0].fee)),
    'quantity after the first fill, before the second',
  );
  const now = (await audit({ method: 'GET', url: `/api/audit/positions?user=${s.userId}` })).json();
  t.not(now.positions[0].quantity, between.positions[0].quantity, 'the live position includes the second fill');

  const page = (await audit({ method: 'GET', url: `/api/audit/events?user=${s.userId}&limit=2` })).json();
  t.equal(page.events.length, 2);
  t.ok(page.next);
  const rest = (await audit({ method: 'GET', url: `/api/audit/events?user=${s.userId}&after=${page.next}` })).json();
  t.ok(
    rest.events.every((e: { seq: number }) => e.seq > page.next),
    'pagination continues after the cursor',
  );

  const log = await eventually(async () => {
    const res = (await audit({ method: 'GET', url: `/api/audit/events?user=${a.userId}&type=AuditAccessed&limit=100` })).json();
    return res.events.length >= 5 ? res.events : undefined;
  });
  t.match(log[0].data, { auditorId: a.userId, resource: 'GET /api/audit/orders', subjectUserId: s.userId });
  t.ok(
    log.some(
      (e: { data: { resource: string; query: Record<string, string> } }) =>
        e.data.resource === 'GET /api/audit/positions' && e.data.query.asOf === String(filledSeq),
    ),
  );
});

t.test('auditors read the risk controls in force, and the kill switch', async (t) => {
  const audit = as(app, await auditor());
  const limits = await audit({ method: 'GET', url: '/api/audit/risk-limits' });
  t.equal(limits.statusCode, 200);
  t.same(limits.json(), {
    maxNotionalPerOrder: stack.config.MAX_NOTIONAL,
    maxOpenOrdersPerUser: stack.config.MAX_OPEN_ORDERS,
    orderRatePerSecondPerUser: stack.config.ORDER_RATE_PER_SECOND,
    tradingHalted: false,
  });
});

t.test('verify now: clean after normal trading', async (t) => {
  const audit = as(app, await auditor());
  const report = (await audit({ method: 'POST', url: '/api/audit/verify' })).json();
  t.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 3)));
  t.same(report.chain.brokenLinks, []);
  t.ok(report.commits > 0);
});
