// The WebSocket API user-data stream, through node-binance-api and raw.
import { createHmac } from 'node:crypto';
import t from 'tap';
import WebSocket from 'ws';
import { clientFor, withSim } from './fixtures/sim.ts';
import { eventually } from '@blotter/test-kit/procs';

const d = (s: string) => s as unknown as number;
type Report = Record<string, unknown> & { e: string; x: string; X: string; i: number };

t.test('userData: a resting order that fills after pinPrice pushes executionReport TRADE', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '1000' }));
  const executions: Report[] = [];
  const balances: Record<string, unknown>[] = [];
  let subscribed = false;
  client.websockets.userData(
    undefined,
    (b: Record<string, unknown>) => balances.push(b),
    (e: Report) => executions.push(e),
    () => {
      subscribed = true;
    },
  );
  t.teardown(() => client.terminateWsApi('userData', false));
  await eventually(() => subscribed || undefined, 5_000, 'subscription', 25);

  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const order = await client.buy('BTCUSDT', d('0.01'), d('59000.00'), { newClientOrderId: 'ws-1' });
  await eventually(() => executions.find((e) => e.i === order.orderId && e.x === 'NEW'), 5_000, 'NEW report', 25);
  await sim.admin.pinPrice('BTCUSDT', '58000.00');
  const trade = await eventually(() => executions.find((e) => e.i === order.orderId && e.x === 'TRADE'), 5_000, 'TRADE report', 25);
  t.match(trade, {
    e: 'executionReport',
    s: 'BTCUSDT',
    c: 'ws-1',
    S: 'BUY',
    o: 'LIMIT',
    f: 'GTC',
    q: '0.01000000',
    p: '59000.00000000',
    x: 'TRADE',
    X: 'FILLED',
    l: '0.01000000',
    z: '0.01000000',
    L: '59000.00000000',
    n: '0.00001000',
    N: 'BTC',
    m: true,
    Z: '590.00000000',
    Y: '590.00000000',
  });
  t.ok(Number(trade.t) > 0 && Number(trade.T) > 0 && Number(trade.E) >= Number(trade.T));
  const position = await eventually(
    () =>
      balances.find(
        (b) => b.e === 'outboundAccountPosition' && (b.B as { a: string; f: string }[]).some((x) => x.a === 'BTC' && x.f === '0.00999000'),
      ),
    5_000,
    'balance update',
    25,
  );
  t.match(position, {
    B: [
      { a: 'BTC', f: '0.00999000', l: '0.00000000' },
      { a: 'USDT', f: '410.00000000', l: '0.00000000' },
    ],
  });
});

t.test('canceling pushes CANCELED with the cancel id in c and the order id in C', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '1000' }));
  const executions: Report[] = [];
  const subscribed = (async () => {
    const result = await client.spotGetDataStream();
    return result;
  })();
  t.teardown(() => client.terminateWsApi('userData', false));
  t.match(await subscribed, { subscriptionId: 0 });
  client.Options.execution_callback = (e: Report) => executions.push(e);
  const order = await client.buy('ETHUSDT', d('0.1'), d('1000.00'), { newClientOrderId: 'to-cancel' });
  await client.cancel('ETHUSDT', order.orderId, { newClientOrderId: 'the-cancel' });
  t.match(await eventually(() => executions.find((e) => e.x === 'CANCELED'), 5_000, 'CANCELED', 25), {
    X: 'CANCELED',
    c: 'the-cancel',
    C: 'to-cancel',
    i: order.orderId,
  });
  t.same(await client.spotCloseDataStream(), {});
});

t.test('raw WS API: signature, key and timestamp errors; unsubscribe stops events', async (t) => {
  const sim = await withSim(t);
  const { apiKey, apiSecret } = await sim.admin.createAccount({ USDT: '1000' });
  const ws = new WebSocket(sim.wsApiUrl);
  t.teardown(() => ws.terminate());
  const inbox: Record<string, unknown>[] = [];
  ws.on('message', (m) => inbox.push(JSON.parse(String(m))));
  await new Promise((resolve) => ws.once('open', resolve));
  const call = (id: string, method: string, params: Record<string, unknown>) => {
    ws.send(JSON.stringify({ id, method, params }));
    return eventually(() => inbox.find((m) => m.id === id), 5_000, `reply ${id}`, 25);
  };
  const signed = (timestamp: number, key = apiKey) => {
    const signature = createHmac('sha256', apiSecret).update(`apiKey=${key}&timestamp=${timestamp}`).digest('hex');
    return { apiKey: key, timestamp, signature };
  };
  t.match(await call('1', 'userDataStream.subscribe.signature', { ...signed(Date.now()), signature: 'bad' }), {
    status: 400,
    error: { code: -1022 },
  });
  t.match(await call('2', 'userDataStream.subscribe.signature', signed(Date.now() - 60_000)), { status: 400, error: { code: -1021 } });
  t.match(await call('3', 'userDataStream.subscribe.signature', signed(Date.now(), 'B'.repeat(64))), {
    status: 401,
    error: { code: -2015 },
  });
  t.match(await call('4', 'nope', {}), { status: 400, error: { code: -1020, msg: 'This operation is not supported.' } });
  t.match(await call('5', 'userDataStream.subscribe.signature', signed(Date.now())), {
    status: 200,
    result: { subscriptionId: 0 },
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT' }],
  });

  const client = clientFor(sim, { apiKey, apiSecret, balances: [] });
  await client.buy('BTCUSDT', d('0.001'), d('30000.00'), { newClientOrderId: 'raw-1' });
  const event = await eventually(() => inbox.find((m) => m.subscriptionId === 0), 5_000, 'event', 25);
  t.match(event, { subscriptionId: 0, event: { e: 'executionReport', c: 'raw-1', x: 'NEW' } });

  t.match(await call('6', 'userDataStream.unsubscribe', { subscriptionId: 0 }), { status: 200, result: {} });
  const before = inbox.length;
  await client.buy('BTCUSDT', d('0.001'), d('30001.00'));
  t.match(await call('7', 'ping', {}), { status: 200 }, 'a later reply proves the order events were not queued ahead of it');
  t.equal(
    inbox.filter((m) => m.subscriptionId !== undefined).length,
    inbox.slice(0, before).filter((m) => m.subscriptionId !== undefined).length,
  );
});

t.test('ticker.price over the WS API (client.tickerPrice)', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount());
  t.teardown(() => client.terminateWsApi('marketData', false));
  await sim.admin.pinPrice('BNBUSDT', '612.34');
  t.same(await client.tickerPrice('BNBUSDT'), { symbol: 'BNBUSDT', price: '612.34000000' });
  const some = (await client.tickerPrice(undefined, ['BNBUSDT', 'ETHUSDT'])) as { symbol: string }[];
  t.same(
    some.map((x) => x.symbol),
    ['BNBUSDT', 'ETHUSDT'],
  );
});
