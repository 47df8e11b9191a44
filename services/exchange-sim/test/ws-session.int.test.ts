// The WebSocket API over a raw socket: signed requests with HMAC and Ed25519 keys, session
// authentication (Ed25519 only, as on Binance), user-data subscriptions and their events — a deposit
// is balanceUpdate then outboundAccountPosition — and the errors for each misuse.
import { createHmac, sign } from 'node:crypto';
import t, { type Test } from 'tap';
import WebSocket from 'ws';
import { withSim } from './fixtures/sim.ts';
import { eventually } from '@blotter/test-kit/procs';

type Json = Record<string, unknown>;

async function connect(t: Test, url: string) {
  const ws = new WebSocket(url);
  t.teardown(() => ws.terminate());
  const inbox: Json[] = [];
  ws.on('message', (m) => inbox.push(JSON.parse(String(m))));
  await new Promise((resolve) => ws.once('open', resolve));
  let next = 0;
  const call = async (method: string, params?: Json) => {
    const id = `r${++next}`;
    ws.send(JSON.stringify({ id, method, ...(params ? { params } : {}) }));
    return eventually(() => inbox.find((m) => m.id === id), 5_000, `${method} reply`, 25);
  };
  return { inbox, call };
}

/** Binance's WS API payload: params sorted by name, `k=v` joined with &. */
const payload = (params: Json) =>
  Object.keys(params)
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');

t.test('signed methods with an HMAC key; session.logon refuses it', async (t) => {
  const sim = await withSim(t);
  const acct = await sim.admin.createAccount({ USDT: '1000' });
  const { call } = await connect(t, sim.wsApiUrl);
  const signed = (params: Json) => {
    const p = { ...params, apiKey: acct.apiKey, timestamp: Date.now() };
    return { ...p, signature: createHmac('sha256', acct.apiSecret).update(payload(p)).digest('hex') };
  };
  const placed = await call(
    'order.place',
    signed({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '30000' }),
  );
  t.match(placed, {
    status: 200,
    result: { status: 'NEW', price: '30000.00000000' },
    rateLimits: [{ rateLimitType: 'ORDERS', count: 1 }, {}, { rateLimitType: 'REQUEST_WEIGHT' }],
  });
  const orderId = (placed.result as Json).orderId;
  t.match(await call('order.status', signed({ symbol: 'BTCUSDT', orderId })), { status: 200, result: { orderId, status: 'NEW' } });
  t.match(await call('openOrders.cancelAll', signed({ symbol: 'BTCUSDT' })), { status: 200, result: [{ orderId, status: 'CANCELED' }] });
  t.match(
    await call('order.place', { ...signed({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' }), signature: '00' }),
    { status: 400, error: { code: -1022 } },
  );
  t.match(await call('session.logon', signed({})), { status: 401, error: { code: -1002 } }, 'session authentication is for Ed25519 keys');
  t.match(await call('account.status', { timestamp: Date.now() }), { status: 401, error: { code: -2014 } }, 'no key, no session');
  t.match(await call('userDataStream.subscribe'), { status: 401, error: { code: -2015 } }, 'userDataStream.subscribe needs a session');
  t.match(await call('v3/time'), { status: 200, result: { serverTime: Number } }, 'method names may carry the version prefix');
});

t.test('an Ed25519 session: logon, signed-less requests, subscribe, events, logout ends the subscription', async (t) => {
  const sim = await withSim(t);
  const acct = await sim.admin.createEd25519Account({ USDT: '1000' });
  const { call, inbox } = await connect(t, sim.wsApiUrl);
  const logonParams = { apiKey: acct.apiKey, timestamp: Date.now() };
  const signature = sign(null, Buffer.from(payload(logonParams)), acct.privateKey ?? '').toString('base64');
  const logon = await call('session.logon', { ...logonParams, signature });
  t.match(logon, { status: 200, result: { apiKey: acct.apiKey, authorizedSince: Number, connectedSince: Number, userDataStream: false } });
  t.match(
    await call('account.status', { timestamp: Date.now() }),
    { status: 200, result: { accountType: 'SPOT' } },
    'no apiKey or signature needed now',
  );
  t.match(await call('account.status', {}), { status: 400, error: { code: -1102 } }, 'a timestamp still is');
  const sub = await call('userDataStream.subscribe');
  t.match(sub, { status: 200, result: { subscriptionId: 0 } });
  t.match(await call('userDataStream.subscribe'), { status: 400, error: { code: -2035 } }, 'one subscription per account and connection');
  t.match(await call('session.status'), { result: { apiKey: acct.apiKey, userDataStream: true } });
  t.same((await call('session.subscriptions')).result, [{ subscriptionId: 0 }]);

  await sim.admin.deposit(acct.apiKey, 'BTC', '0.5');
  await eventually(() => inbox.find((m) => (m.event as Json | undefined)?.e === 'outboundAccountPosition'), 5_000, 'position', 25);
  const events = inbox.filter((m) => m.subscriptionId === 0).map((m) => m.event as Json);
  t.match(events, [
    { e: 'balanceUpdate', a: 'BTC', d: '0.50000000' },
    { e: 'outboundAccountPosition', B: [{ a: 'BTC', f: '0.50000000', l: '0.00000000' }] },
  ]);
  await sim.admin.withdraw(acct.apiKey, 'BTC', '0.2');
  await eventually(() => inbox.find((m) => (m.event as Json | undefined)?.d === '-0.20000000'), 5_000, 'withdrawal', 25);

  t.match(await call('session.logout'), { status: 200, result: { apiKey: null, userDataStream: false } });
  t.ok(
    inbox.some((m) => m.subscriptionId === 0 && (m.event as Json).e === 'eventStreamTerminated'),
    'logging out ends a session subscription',
  );
  t.match(await call('userDataStream.unsubscribe', { subscriptionId: 0 }), { status: 400, error: { code: -2036 } });
  t.match(await call('account.status', { timestamp: Date.now() }), { status: 401, error: { code: -2014 } }, 'logged out');
});

t.test('malformed requests get Binance errors, not silence', async (t) => {
  const sim = await withSim(t);
  const ws = new WebSocket(sim.wsApiUrl);
  t.teardown(() => ws.terminate());
  const inbox: Json[] = [];
  ws.on('message', (m) => inbox.push(JSON.parse(String(m))));
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send('{not json');
  t.same(await eventually(() => inbox[0], 5_000, 'reply', 25), {
    id: null,
    status: 400,
    error: { code: -1135, msg: 'Invalid JSON Request' },
  });
  ws.send(JSON.stringify({ id: 7, method: 'depth', params: { symbol: 'NOPE' } }));
  t.match(await eventually(() => inbox.find((m) => m.id === 7), 5_000, 'reply', 25), {
    status: 400,
    error: { code: -1121, msg: 'Invalid symbol.' },
  });
});
