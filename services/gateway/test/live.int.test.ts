// GET /api/ws: authentication, snapshot then updates in version order for a whole order life, and
// a user only ever receiving their own data.
import t from 'tap';
import { as, eventually, liveClient, register, startStack } from '@blotter/test-kit';

const stack = await startStack(t, { executor: 'in-process' });
const { app } = stack;

t.test('a bad token, or a first message that is not auth, closes with 4401', async (t) => {
  const bad = await liveClient(stack, 'not-a-token');
  await eventually(() => bad.closed());
  t.equal(bad.closed()?.code, 4401, JSON.stringify(bad.closed()));
  const rude = await liveClient(stack);
  rude.send({ type: 'subscribe', channels: ['orders'] });
  await eventually(() => rude.closed());
  t.equal(rude.closed()?.code, 4401);
  const ticket = (await as(app, await register(app))({ method: 'POST', url: '/api/auth/ws-ticket' })).json();
  const withTicket = await liveClient(stack, ticket.ticket);
  await withTicket.next((m) => m.type === 'ready', 'ready after a ticket');
  withTicket.close();
  const rest = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${ticket.ticket}` } });
  t.equal(rest.statusCode, 401, 'a WebSocket ticket does not open the REST API');
});

t.test('snapshot, then every change of an order life in version order', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  await eventually(async () => ((await api({ method: 'GET', url: '/api/balances' })).json().balances.length ? true : undefined));
  const live = await liveClient(stack, s.token);
  await live.next((m) => m.type === 'ready');
  live.send({ type: 'subscribe', channels: ['orders', 'trades', 'balances', 'positions', 'ticker:BTCUSDT'] });
  for (const channel of ['orders', 'trades', 'balances', 'positions', 'ticker:BTCUSDT']) {
    await live.next((m) => m.type === 'snapshot' && m.channel === channel, `${channel} snapshot`);
  }
  const balancesSnap = live.messages.find((m) => m.type === 'snapshot' && m.channel === 'balances') as { version: number; data: unknown };
  t.same(balancesSnap.data, [{ asset: 'USDT', free: '10000', locked: '0' }]);

  const placed = (
    await api({ method: 'POST', url: '/api/orders', payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.002' } })
  ).json().order;
  await live.next(
    (m) =>
      m.type === 'update' &&
      m.channel === 'orders' &&
      (m.data as { orderId: string; status: string }[]).some((o) => o.orderId === placed.orderId && o.status === 'FILLED'),
    'the FILLED update',
  );
  await live.next((m) => m.type === 'update' && m.channel === 'positions', 'a positions update');
  await live.next((m) => m.type === 'update' && m.channel === 'ticker:BTCUSDT', 'a ticker update');

  for (const channel of ['orders', 'trades', 'balances', 'positions']) {
    const seen = live.messages.filter((m) => m.channel === channel) as { type: string; version: number; prevVersion?: number }[];
    t.equal(seen[0]?.type, 'snapshot', `${channel}: snapshot first`);
    for (let i = 1; i < seen.length; i++) {
      t.equal(seen[i]?.prevVersion, seen[i - 1]?.version, `${channel}: update ${i} follows the previous version (no gap)`);
      t.ok((seen[i]?.version ?? 0) > (seen[i - 1]?.version ?? 0), `${channel}: versions increase`);
    }
  }
  const position = live.messages.filter((m) => m.channel === 'positions' && m.type === 'update').at(-1) as {
    data: Record<string, unknown>[];
  };
  t.match(position.data[0], { symbol: 'BTCUSDT', markPrice: String, unrealizedPnl: String }, 'positions carry the mark price');
  live.close();
});

t.test("a trader never receives another trader's updates", async (t) => {
  const alice = await register(app);
  const bob = await register(app);
  const bobLive = await liveClient(stack, bob.token);
  await bobLive.next((m) => m.type === 'ready');
  bobLive.send({ type: 'subscribe', channels: ['orders', 'trades', 'balances', 'positions'] });
  await bobLive.next((m) => m.type === 'snapshot' && m.channel === 'positions');
  const aliceLive = await liveClient(stack, alice.token);
  await aliceLive.next((m) => m.type === 'ready');
  aliceLive.send({ type: 'subscribe', channels: ['orders'] });
  await aliceLive.next((m) => m.type === 'snapshot');
  const placed = (
    await as(
      app,
      alice,
    )({ method: 'POST', url: '/api/orders', payload: { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' } })
  ).json().order;
  await aliceLive.next((m) => m.type === 'update' && JSON.stringify(m.data).includes('FILLED'), "alice's fill");
  const leaked = bobLive.messages.filter((m) => JSON.stringify(m).includes(placed.orderId) || JSON.stringify(m).includes(alice.userId));
  t.same(leaked, [], 'bob saw nothing of alice');
  t.notOk(
    bobLive.messages.some((m) => m.type === 'update'),
    'bob got no updates at all',
  );
  aliceLive.close();
  bobLive.close();
});

t.test('invalid messages get an error and the socket stays open', async (t) => {
  const s = await register(app);
  const live = await liveClient(stack, s.token);
  await live.next((m) => m.type === 'ready');
  live.send('not json at all');
  live.send({ type: 'subscribe', channels: ['orders', 'someone-elses-orders'] });
  live.send({ type: 'subscribe', channels: ['ticker:NOPEUSDT'] });
  await eventually(() => (live.messages.filter((m) => m.type === 'error').length >= 3 ? true : undefined));
  live.send({ type: 'ping' });
  await live.next((m) => m.type === 'pong');
  t.equal(live.closed(), null);
  live.close();
});
