// Injected venue failures as the executor will meet them through node-binance-api.
import t from 'tap';
import { binanceError, clientFor, withSim } from './fixtures/sim.ts';
import { eventually } from '@blotter/test-kit/procs';

const d = (s: string) => s as unknown as number;

t.test('error5xx after execute: the client sees 503 but the order exists and is queryable', async (t) => {
  const sim = await withSim(t);
  const account = await sim.admin.createAccount({ USDT: '10000' });
  const client = clientFor(sim, account);
  await sim.admin.injectFault({ kind: 'error5xx', afterExecute: true, path: '/api/v3/order', method: 'POST' });
  t.match(await binanceError(client.marketBuy('BTCUSDT', d('0.01'), { newClientOrderId: 'lost-ack-1' })), { code: -1007 });
  const order = await client.orderStatus('BTCUSDT', undefined, { origClientOrderId: 'lost-ack-1' });
  t.match(order, { status: 'FILLED', clientOrderId: 'lost-ack-1', executedQty: '0.01000000' });
  t.equal((await sim.admin.orders(account.apiKey, { clientOrderId: 'lost-ack-1' })).length, 1);
});

t.test('error5xx before execute: nothing is booked', async (t) => {
  const sim = await withSim(t);
  const account = await sim.admin.createAccount({ USDT: '10000' });
  const client = clientFor(sim, account);
  await sim.admin.injectFault({ kind: 'error5xx', afterExecute: false, status: 500, count: 1, path: '/api/v3/order' });
  t.match(await binanceError(client.marketBuy('BTCUSDT', d('0.01'), { newClientOrderId: 'never-1' })), { code: -1000 });
  t.same(await binanceError(client.orderStatus('BTCUSDT', undefined, { origClientOrderId: 'never-1' })), {
    code: -2013,
    msg: 'Order does not exist.',
  });
  t.same(await sim.admin.orders(account.apiKey), []);
});

t.test('rateLimit: 429 with Retry-After and -1003, for the armed count only', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount());
  await sim.admin.injectFault({ kind: 'rateLimit', retryAfterSeconds: 7, count: 2 });
  const res = await fetch(`${sim.url}/api/v3/time`);
  t.equal(res.status, 429);
  t.equal(res.headers.get('retry-after'), '7');
  t.match(await res.json(), { code: -1003, msg: /Too much request weight used/ });
  t.match(await binanceError(client.prices()), { code: -1003 });
  t.equal((await fetch(`${sim.url}/api/v3/time`)).status, 200, 'spent after two requests');
});

t.test('path and method scope a fault; DELETE /admin/faults disarms', async (t) => {
  const sim = await withSim(t);
  await sim.admin.injectFault({ kind: 'rateLimit', retryAfterSeconds: 1, path: '/api/v3/order', method: 'DELETE', count: 5 });
  t.equal((await fetch(`${sim.url}/api/v3/time`)).status, 200);
  t.equal((await fetch(`${sim.url}/api/v3/order`)).status, 401, 'GET is not DELETE: reaches the handler (no API key)');
  t.equal((await fetch(`${sim.url}/api/v3/order`, { method: 'DELETE' })).status, 429);
  await sim.admin.clearFaults();
  t.equal((await fetch(`${sim.url}/api/v3/order`, { method: 'DELETE' })).status, 401);
});

t.test('delay: the order executes, the answer is late; past the client timeout it is lost', async (t) => {
  const sim = await withSim(t);
  const account = await sim.admin.createAccount({ USDT: '10000' });
  await sim.admin.injectFault({ kind: 'delay', ms: 300, path: '/api/v3/order', method: 'POST' });
  const client = clientFor(sim, account);
  const started = Date.now();
  const res = await client.buy('BTCUSDT', d('0.01'), d('30000.00'));
  t.ok(Date.now() - started >= 300, 'answered after the delay');
  t.equal(res.status, 'NEW');

  // node-binance-api aborts a request after recvWindow ms.
  const impatient = clientFor(sim, account, 500);
  await sim.admin.injectFault({ kind: 'delay', ms: 1500, path: '/api/v3/order', method: 'POST' });
  await t.rejects(impatient.buy('BTCUSDT', d('0.01'), d('30100.00'), { newClientOrderId: 'slow-1' }), /Request timeout/);
  t.match(await client.orderStatus('BTCUSDT', undefined, { origClientOrderId: 'slow-1' }), { status: 'NEW' });
});

t.test('dropWs: the user-data socket is severed and node-binance-api resubscribes', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '10000' }));
  const reports: { x: string; i: number }[] = [];
  let subscriptions = 0;
  client.websockets.userData(
    undefined,
    undefined,
    (e: { x: string; i: number }) => reports.push(e),
    () => subscriptions++,
  );
  t.teardown(() => client.terminateWsApi('userData', false));
  await eventually(() => (subscriptions === 1 ? true : undefined), 5_000, 'first subscription', 25);
  t.match(await sim.admin.injectFault({ kind: 'dropWs', count: 1 }), { dropped: 1 });
  await eventually(() => (subscriptions === 2 ? true : undefined), 5_000, 'resubscription', 25);
  const order = await client.buy('BTCUSDT', d('0.01'), d('30000.00'));
  await eventually(() => reports.find((r) => r.i === order.orderId && r.x === 'NEW'), 5_000, 'NEW report on the new socket', 25);
  t.pass('events flow after the reconnect');
});
