// The executor against a venue having a bad day (faults injected in the simulator): an answer that
// comes too late, a 5xx after the order was booked, a rate limit, a dropped user-data socket, and an
// order the venue no longer knows. Each time: no lost fill, no duplicate order.
import t, { type Test } from 'tap';
import { createKeyRing, loadVenueKeys, parseKey } from '@blotter/accounts';
import { uuidv7 } from '@blotter/eventstore';
import { dec, str } from '@blotter/orders';
import { as, eventually, register, type Session, startStack } from '@blotter/test-kit';

const stack = await startStack(t, { executor: 'in-process', env: { executor: { VENUE_RECV_WINDOW_MS: '1000', EXECUTOR_POLL_MS: '500' } } });
const executor = stack.executor;
const { app, sim } = stack;

async function apiKeyOf(s: Session): Promise<string> {
  const keys = await loadVenueKeys(app.accounts, createKeyRing(parseKey(stack.config.KEY_ENCRYPTION_KEY, 'K')), s.userId, 'paper');
  return keys?.apiKey ?? '';
}

async function placeAndSettle(s: Session, payload: Record<string, string>, statuses = ['FILLED']) {
  const api = as(app, s);
  const order = (await api({ method: 'POST', url: '/api/orders', payload })).json().order;
  return eventually(
    async () => {
      const o = (await api({ method: 'GET', url: `/api/orders/${order.orderId}` })).json().order;
      return statuses.includes(o.status) ? o : undefined;
    },
    45_000,
    `order to reach ${statuses}`,
  );
}

async function exactlyOnce(t: Test, s: Session, orderId: string) {
  const venue = await sim.admin.orders(await apiKeyOf(s), { clientOrderId: orderId });
  t.equal(venue.length, 1, 'exactly one venue order for the client order id');
  const trades = (await as(app, s)({ method: 'GET', url: '/api/trades' }))
    .json()
    .trades.filter((x: { orderId: string }) => x.orderId === orderId);
  const ids = trades.map((x: { tradeId: string }) => x.tradeId);
  t.equal(new Set(ids).size, ids.length, 'no fill booked twice');
  const executed = String((venue[0] as { executedQty?: unknown } | undefined)?.executedQty ?? '0');
  t.equal(
    str(trades.reduce((n: ReturnType<typeof dec>, x: { quantity: string }) => n.plus(x.quantity), dec(0))),
    str(dec(executed)),
    'booked quantity equals the venue',
  );
}

t.test('an answer slower than the timeout: the order is found by client order id, not sent again', async (t) => {
  const s = await register(app);
  await sim.admin.injectFault({ kind: 'delay', ms: 8000, count: 1, path: '/api/v3/order', method: 'POST' });
  const order = await placeAndSettle(s, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' });
  await exactlyOnce(t, s, order.orderId);
});

t.test('HTTP 5xx after the venue booked the order: looked up, booked once', async (t) => {
  const s = await register(app);
  await sim.admin.injectFault({ kind: 'error5xx', afterExecute: true, status: 503, count: 1, path: '/api/v3/order', method: 'POST' });
  const order = await placeAndSettle(s, { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' });
  await exactlyOnce(t, s, order.orderId);
});

t.test('a 429 from the venue: the executor backs off and the order is placed once later', async (t) => {
  const s = await register(app);
  await sim.admin.injectFault({ kind: 'rateLimit', retryAfterSeconds: 1, count: 1, path: '/api/v3/order', method: 'POST' });
  const order = await placeAndSettle(s, { symbol: 'SOLUSDT', side: 'BUY', type: 'MARKET', quantity: '1' });
  await exactlyOnce(t, s, order.orderId);
  t.ok(executor.snapshot().retried >= 1, 'the message was put back with a delay');
});

t.test('a dropped user-data socket does not lose the fill of a resting order', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  const ticker = await eventually(async () => {
    const r = await api({ method: 'GET', url: '/api/market/BNBUSDT/ticker' });
    return r.statusCode === 200 ? (r.json() as { price: string }) : undefined;
  });
  const price = str(dec(ticker.price).times('0.9').round(2));
  const resting = await placeAndSettle(s, { symbol: 'BNBUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.1', price }, ['NEW']);
  await sim.admin.injectFault({ kind: 'dropWs', count: 5 });
  await sim.admin.pinPrice('BNBUSDT', str(dec(price).times('0.99').round(2)));
  t.teardown(() => sim.admin.unpinPrice('BNBUSDT'));
  const filled = await eventually(
    async () => {
      const o = (await api({ method: 'GET', url: `/api/orders/${resting.orderId}` })).json().order;
      return o.status === 'FILLED' ? o : undefined;
    },
    30_000,
    'the resting order to be recorded FILLED',
  );
  t.equal(filled.filledQuantity, '0.1');
  await exactlyOnce(t, s, resting.orderId);
});

t.test('reconciliation expires an order the venue does not know, with a reason', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  const orderId = uuidv7();
  const subject = stack.store.subjects.order(s.userId, orderId);
  // An order Blotter believes the venue accepted, but the venue has never seen (its state was lost).
  await stack.store.append(
    { commitId: `lost-${orderId}`, subject, aggregateId: orderId, userId: s.userId, occurredAt: new Date().toISOString() },
    [
      {
        type: 'OrderPlaced',
        data: {
          orderId,
          userId: s.userId,
          clientOrderId: null,
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: '0.001',
          price: '30000',
          stopPrice: null,
          venue: 'paper',
          baseAsset: 'BTC',
          quoteAsset: 'USDT',
          reserved: { asset: 'USDT', amount: '30.03' },
        },
      },
      { type: 'OrderAccepted', data: { orderId, venueOrderId: '424242', acceptedAt: new Date().toISOString() } },
    ],
    0,
    null,
  );
  // Reconciliation works from the read model, so wait until the order is projected.
  await eventually(async () =>
    (await api({ method: 'GET', url: '/api/orders?status=open' })).json().orders.some((o: { orderId: string }) => o.orderId === orderId)
      ? true
      : undefined,
  );
  for (let i = 0; i < 3; i++) await executor.reconciler.runOnce();
  t.equal(executor.reconciler.stats.expired, 1);
  const order = await eventually(async () => {
    const o = (await api({ method: 'GET', url: `/api/orders/${orderId}` })).json().order;
    return o.status === 'EXPIRED' ? o : undefined;
  });
  t.match(order.reason, /reconciliation: the venue did not know this order/);
  await eventually(async () =>
    (await api({ method: 'GET', url: '/api/balances' })).json().balances.every((b: { locked: string }) => b.locked === '0')
      ? true
      : undefined,
  );
  t.same(await sim.admin.orders(await apiKeyOf(s), {}), [], 'nothing was sent to the venue for it');
});

t.test('reconciliation does not call an order a stray when only the read model lags behind', async (t) => {
  const s = await register(app);
  const resting = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', timeInForce: 'GTC' };
  await placeAndSettle(s, { ...resting, price: '30000' }, ['NEW']);
  const other = await placeAndSettle(s, { ...resting, price: '30001' }, ['NEW']);
  // The read model loses sight of the second order, as while a projector catches up after a restart;
  // the venue and the stream both hold it open.
  await stack.db.deleteFrom('orders').where('orderId', '=', other.orderId).execute();
  const before = executor.reconciler.stats.strays;
  await executor.reconciler.runOnce();
  t.equal(executor.reconciler.stats.strays, before, 'the stream says it is open: no stray reported');
});
