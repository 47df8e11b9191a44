// Stateless gateways: two gateway processes on one NATS and one Postgres (this file's own namespace
// and database), nothing shared between them but those two, and a round-robin TCP balancer in front
// (one port, no stickiness). A trader may talk to either gateway for any request: a session signed
// by one is honoured by the other; orders placed through the balancer land on both gateways and
// every fill reaches the trader's socket wherever it lives (projector change notices fan out over
// NATS to every gateway); a repeated clientOrderId on two gateways at once makes one order; a dead
// gateway costs only its own sockets. The per-user order rate limit is one budget whichever
// gateway takes the order: the account aggregate decides it (account-boundary.int.test.ts proves
// the money rules the same way).
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { RoundRobin } from '../src/balancer.ts';
import { call, callOnNewConnection, liveClient, orderUpdate, register } from '../src/client.ts';
import { eventually, httpReady, startStack } from '@blotter/test-kit';

const RATE = 3;
// Two gateway processes; the simulator, market feed, projector and executor in this process.
const booting = Date.now();
const stack = await startStack(t, {
  gateway: 'process',
  gateways: 2,
  executor: 'in-process',
  partitions: 4,
  namespacePrefix: 'scl',
  env: { gateway: { ORDER_RATE_PER_SECOND: String(RATE) } },
});
const bootMs = Date.now() - booting;
const balancer = new RoundRobin(stack.gatewayUrls.map((u) => ({ host: '127.0.0.1', port: Number(new URL(u).port) })));
await balancer.start();
t.teardown(() => balancer.close());
const [A, B] = stack.gatewayUrls as [string, string];
t.comment(`2 gateway processes ready in ${bootMs} ms (namespace ${stack.namespace}), balancer on ${balancer.url}`);

const market = (quantity = '0.001') => ({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity });
async function restingLimit(base: string, token: string) {
  const ticker = await eventually(
    async () => {
      const r = await call(base, 'GET', '/api/market/BTCUSDT/ticker', token);
      return r.status === 200 ? (r.json as unknown as { price: string }) : null;
    },
    20_000,
    'a BTCUSDT price',
  );
  return {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.001',
    price: (Number(ticker.price) * 0.9).toFixed(2),
  };
}
/** The opening deposit is projected (so orders are checked against a real balance). */
const funded = (base: string, token: string) =>
  eventually(
    async () => ((await call(base, 'GET', '/api/balances', token)).json.balances as unknown[] | undefined)?.length || undefined,
    20_000,
    'the opening deposit to be projected',
  );

t.test('a session signed by one gateway is honoured by the other', async (t) => {
  const alice = await register(A);
  for (const base of [A, B]) {
    const me = await call(base, 'GET', '/api/me', alice.token);
    t.equal(me.status, 200, `GET /api/me on ${base}`);
    t.equal(me.json.id, alice.userId, 'the same user');
  }
  // A WebSocket ticket issued by B opens a socket on A.
  const ticket = await call(B, 'POST', '/api/auth/ws-ticket', alice.token);
  t.equal(ticket.status, 200, 'a WebSocket ticket from B');
  const live = await liveClient(A, String(ticket.json.ticket));
  await live.next((m) => m.type === 'ready', 'ready on A with a ticket from B');
  live.close();
  // A login on B gives a token that A accepts.
  const login = await call(B, 'POST', '/api/auth/login', undefined, { email: alice.email, password: 'scaling proof 1' });
  t.equal(login.status, 200, 'login on B', { body: login.json });
  t.equal((await call(A, 'GET', '/api/me', String(login.json.token))).status, 200, "B's login token works on A");
  t.equal((await call(A, 'GET', '/api/me', `${alice.token}x`)).status, 401, 'a forged token is refused');
});

t.test("behind one port: orders land on both gateways, every fill reaches the trader's socket, no one else's", async (t) => {
  const alice = await register(balancer.url);
  const bob = await register(balancer.url);
  await funded(balancer.url, alice.token);
  const firstConnection = balancer.routed.length;
  const aliceLive = await liveClient(balancer.url, alice.token);
  const bobLive = await liveClient(balancer.url, bob.token);
  const socketGateway = balancer.routed[firstConnection];
  t.not(socketGateway, balancer.routed[firstConnection + 1], "alice's and bob's sockets are on different gateways");
  for (const s of [aliceLive, bobLive]) {
    await s.next((m) => m.type === 'ready', 'ready');
    s.send({ type: 'subscribe', channels: ['orders', 'balances'] });
    await s.next((m) => m.type === 'snapshot' && m.channel === 'orders', 'orders snapshot');
  }
  const orders: { id: string; gateway: number; ms: number }[] = [];
  for (let i = 0; i < 2; i++) {
    const t0 = Date.now();
    const placed = await callOnNewConnection(balancer.url, 'POST', '/api/orders', alice.token, market());
    const gateway = balancer.routed.at(-1) as number;
    t.equal(placed.status, 201, `order ${i + 1} placed through gateway ${'AB'[gateway]}`, { body: placed.json });
    const id = String(placed.json.order?.orderId);
    await aliceLive.next(orderUpdate(id, 'FILLED'), `the FILLED update of order ${i + 1}`);
    orders.push({ id, gateway, ms: Date.now() - t0 });
  }
  t.same(new Set(orders.map((o) => o.gateway)), new Set([0, 1]), 'the two orders went through different gateways');
  t.comment(
    `socket on gateway ${'AB'[socketGateway ?? 0]}; POST -> FILLED on it: ${orders.map((o) => `${o.ms} ms (placed on ${'AB'[o.gateway]})`).join(', ')}`,
  );
  const updates = aliceLive.messages.filter((m) => m.channel === 'orders') as { type: string; version: number; prevVersion?: number }[];
  for (let i = 1; i < updates.length; i++)
    t.equal(updates[i]?.prevVersion, updates[i - 1]?.version, `orders update ${i} follows the previous version (no gap)`);
  // Each order read back through the gateway that did not take it.
  for (const o of orders) {
    const read = await call(stack.gatewayUrls[1 - o.gateway] as string, 'GET', `/api/orders/${o.id}`, alice.token);
    t.equal(read.json.order?.status, 'FILLED', 'the order read through the other gateway is FILLED');
  }
  t.notOk(
    bobLive.messages.some((m) => m.type === 'update' || orders.some((o) => JSON.stringify(m).includes(o.id))),
    "bob's socket saw nothing of alice's orders",
  );
  aliceLive.close();
  bobLive.close();
});

t.test('one clientOrderId sent to two gateways at once makes one order', async (t) => {
  const trader = await register(B);
  await funded(B, trader.token);
  const body = { ...(await restingLimit(A, trader.token)), clientOrderId: 'same-on-two-gateways' };
  const answers = await Promise.all([A, B].map((base) => call(base, 'POST', '/api/orders', trader.token, body)));
  t.same(answers.map((a) => a.status).sort(), [200, 201], 'one gateway placed it (201), the other answered the repeat (200)', {
    bodies: answers.map((a) => a.json),
  });
  const ids = new Set(answers.map((a) => a.json.order?.orderId));
  t.equal(ids.size, 1, 'both answers name the same order');
  const orderId = [...ids][0] as string;
  const commits = await stack.store.readSubject(stack.store.subjects.order(trader.userId, orderId));
  t.equal(commits.flatMap((c) => c.events).filter((e) => e.type === 'OrderPlaced').length, 1, 'one OrderPlaced in the stream');
});

t.test(`the order rate limit (${RATE}/s per user) is one budget across gateways`, async (t) => {
  const trader = await register(A);
  await funded(A, trader.token);
  const body = await restingLimit(A, trader.token);
  // 3 × RATE to A and 3 × RATE to B, all at once. The limit is decided by the user's account
  // aggregate (its recent order times), under optimistic concurrency, so the two gateways share one
  // budget: the user gets at most RATE orders (placed or denied) into any one-second window,
  // whichever gateway took them.
  const send = (base: string) => Array.from({ length: 3 * RATE }, () => call(base, 'POST', '/api/orders', trader.token, body));
  const [a, b] = await Promise.all([Promise.all(send(A)), Promise.all(send(B))]);
  const limited = (xs: { status: number }[]) => xs.filter((x) => x.status === 429).length;
  t.comment(`A: ${a.map((x) => x.status).join(',')}  B: ${b.map((x) => x.status).join(',')}`);
  t.ok(
    [...a, ...b].every((x) => x.status === 429 || x.status < 300 || x.status === 422),
    'every answer is an order placed, denied by the pre-trade checks, or refused for the rate',
  );
  const admitted = a.length + b.length - limited(a) - limited(b);
  t.ok(admitted >= 1, `some orders got through (${admitted})`);
  // The exact rule, read from the events: no one-second window holds more than RATE order times.
  const commits = await stack.store.readSubject(stack.store.subjects.userEvents(trader.userId));
  const times = commits
    .flatMap((c) => c.events)
    .filter((e) => e.type === 'OrderPlaced' || e.type === 'OrderDenied')
    .map((e) => Date.parse(e.occurredAt));
  t.equal(times.length, admitted, 'one recorded order (placed or denied) per admitted request');
  t.same(
    times,
    [...times].sort((x, y) => x - y),
    'order times are monotone in the account stream',
  );
  const busiest = Math.max(...times.map((x) => times.filter((y) => y >= x && y < x + 1000).length));
  t.ok(busiest <= RATE, `the busiest one-second window holds ${busiest} orders (at most ${RATE})`);
  const retry = [...a, ...b].find((x) => x.status === 429);
  t.ok(retry, 'some requests were refused for the rate');
});

t.test('the login-attempt limit is one budget across gateways', async (t) => {
  const LIMIT = 10; // LOGIN_ATTEMPTS_PER_MINUTE's default, per account
  const victim = await register(A);
  // The windows are fixed minutes: start the burst well inside one.
  const into = Date.now() % 60_000;
  if (into > 45_000) await sleep(60_000 - into + 200);
  const guesses = await Promise.all(
    Array.from({ length: 2 * LIMIT }, (_, i) =>
      call([A, B][i % 2] as string, 'POST', '/api/auth/login', undefined, { email: victim.email, password: `guess number ${i}` }),
    ),
  );
  const count = (status: number) => guesses.filter((g) => g.status === status).length;
  t.equal(count(401), LIMIT, `${LIMIT} guesses checked, whichever gateway took them`);
  t.equal(count(429), LIMIT, 'every further guess refused on both gateways');
  t.ok(
    guesses.filter((g) => g.status === 429).every((g) => g.json.error?.code === 'RATE_LIMITED'),
    'refused as RATE_LIMITED',
  );
});

t.test('a gateway killed with SIGKILL costs only its own sockets', async (t) => {
  const trader = await register(A);
  await funded(A, trader.token);
  const onB = await liveClient(B, trader.token);
  await onB.next((m) => m.type === 'ready', 'ready on B');
  const gatewayB = stack.proc('gateway-b');
  await gatewayB.kill();
  await eventually(() => onB.closed(), 10_000, 'the socket on B to close');
  t.ok(onB.closed(), `the socket on B closed (${JSON.stringify(onB.closed())})`);
  // The client reconnects to the other gateway and carries on.
  const onA = await liveClient(A, trader.token);
  await onA.next((m) => m.type === 'ready', 'ready on A');
  onA.send({ type: 'subscribe', channels: ['orders'] });
  await onA.next((m) => m.type === 'snapshot' && m.channel === 'orders', 'orders snapshot on A');
  const placed = await call(A, 'POST', '/api/orders', trader.token, market());
  t.equal(placed.status, 201, 'placed through A after B died', { body: placed.json });
  await onA.next(orderUpdate(String(placed.json.order?.orderId), 'FILLED'), 'the FILLED update on A');
  t.ok(await httpReady(`${A}/readyz`)(), 'A is ready');
  t.notOk(await httpReady(`${B}/readyz`)(), 'B is gone');
  onA.close();
});
