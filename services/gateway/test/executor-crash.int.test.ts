// The executor is killed (SIGKILL) after the venue executed an order but before its answer was
// recorded, then restarted: the venue must hold exactly one order for the client order id and the
// fill must be booked exactly once.
import t from 'tap';
import { loadVenueKeys } from '@blotter/accounts';
import { as, eventually, register, startStack } from '@blotter/test-kit';

// The executor is a process of the stack (as `make dev` runs it), created but not started: the
// test starts it, kills it and starts it again.
const stack = await startStack(t, { executor: 'process', deferred: ['executor'], env: { executor: { EXECUTOR_ACK_WAIT_MS: '5000' } } });
const { app, sim } = stack;
const executor = stack.proc('executor');

t.test('SIGKILL between the venue answer and the append: one venue order, one fill', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  const keys = await loadVenueKeys(app.accounts, stack.keyRing(), s.userId, 'paper');
  const apiKey = keys?.apiKey ?? '';

  executor.start();
  await executor.waitReady();
  // The venue books the order at once but answers only after 4 s: the window to kill in.
  await sim.admin.injectFault({ kind: 'delay', ms: 4000, count: 1, path: '/api/v3/order', method: 'POST' });
  const placed = (
    await api({ method: 'POST', url: '/api/orders', payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.003' } })
  ).json().order;
  await eventually(
    async () => ((await sim.admin.orders(apiKey, { clientOrderId: placed.orderId })).length === 1 ? true : undefined),
    20_000,
    'the venue to book the order',
  );
  await executor.kill();
  t.equal(
    (await api({ method: 'GET', url: `/api/orders/${placed.orderId}` })).json().order.status,
    'PENDING_NEW',
    'killed before recording',
  );

  executor.start();
  const filled = await eventually(
    async () => {
      const o = (await api({ method: 'GET', url: `/api/orders/${placed.orderId}` })).json().order;
      return o.status === 'FILLED' ? o : undefined;
    },
    30_000,
    'the restarted executor to record the fill',
  );
  t.equal(filled.filledQuantity, '0.003');

  const venueOrders = await sim.admin.orders(apiKey, { clientOrderId: placed.orderId });
  t.equal(venueOrders.length, 1, 'exactly one order at the venue for the client order id');
  t.equal((await sim.admin.orders(apiKey, {})).length, 1, 'and no other order at all');
  const trades = (await api({ method: 'GET', url: '/api/trades' })).json().trades;
  const tradeIds = trades.map((x: { tradeId: string }) => x.tradeId);
  t.equal(new Set(tradeIds).size, tradeIds.length, 'no fill booked twice');
  const events = (await api({ method: 'GET', url: `/api/orders/${placed.orderId}/events` }))
    .json()
    .events.map((e: { type: string }) => e.type);
  t.equal(events.filter((e: string) => e === 'OrderAccepted').length, 1);
  t.equal(events.filter((e: string) => e === 'OrderFilled').length, trades.length);
});
