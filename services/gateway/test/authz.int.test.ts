// Authorization, adversarially: another user's data on every route and channel, forged and
// expired tokens, roles, the admin API, WebSocket tickets on REST, login guessing, password storage.
// Users A and B trade for real (the executor fills B's orders on the simulator).
import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import { grantRole } from '@blotter/accounts';
import { sql } from 'kysely';
import { WebSocket } from 'ws';
import { buildApp } from '../src/app.ts';
import { as, eventually, liveClient, register, type Session, startStack } from '@blotter/test-kit';
import { envelopeProblem } from './support/contract.ts';
import { now, otherSecret, signJwt, tamper, unsignedJwt } from './support/jwt.ts';

const LIMIT = 2;
const adminToken = randomBytes(24).toString('hex');
const stack = await startStack(t, {
  executor: 'in-process',
  env: { gateway: { ADMIN_TOKEN: adminToken, LOGIN_ATTEMPTS_PER_MINUTE: String(LIMIT) } },
});
const { app } = stack;
const PASSWORD = 'correct horse battery';

type Inject = ReturnType<typeof as>;
const filled = async (api: Inject, orderId: string) =>
  eventually(
    async () => {
      const o = (await api({ method: 'GET', url: `/api/orders/${orderId}` })).json().order;
      return o?.status === 'FILLED' ? o : undefined;
    },
    20_000,
    `order ${orderId} filled`,
  );
const place = async (api: Inject, payload: Record<string, string>) => {
  const res = await api({ method: 'POST', url: '/api/orders', payload });
  if (res.statusCode !== 201) throw new Error(`order refused: ${res.statusCode} ${res.body}`);
  return res.json().order as { orderId: string; clientOrderId: string | null };
};
const funded = async (api: Inject) =>
  eventually(async () => ((await api({ method: 'GET', url: '/api/balances' })).json().balances.length ? true : undefined));

const A = await register(app);
const B = await register(app);
const auditorReg = await register(app);
await grantRole(app.accounts, auditorReg.userId, 'auditor');
const auditor: Session = { ...auditorReg, token: app.signSession({ sub: auditorReg.userId, email: auditorReg.email, roles: ['auditor'] }) };
const apiA = as(app, A);
const apiB = as(app, B);
const apiAuditor = as(app, auditor);
await funded(apiA);
await funded(apiB);
await eventually(async () => ((await apiA({ method: 'GET', url: '/api/market/BTCUSDT/ticker' })).statusCode === 200 ? true : undefined));

// A's first order is older than any of B's (for the list cursor check).
const aOld = await place(apiA, { symbol: 'SOLUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price: '50' });

// A watches every channel before B trades; B watches its own orders to know when its notices went out.
const liveA = await liveClient(stack, A.token);
await liveA.next((m) => m.type === 'ready');
const ALL_CHANNELS = ['orders', 'trades', 'positions', 'balances', 'ticker:BTCUSDT', 'candles:BTCUSDT:1m', 'ticker:ETHUSDT'];
liveA.send({ type: 'subscribe', channels: ALL_CHANNELS });
for (const c of ALL_CHANNELS) await liveA.next((m) => m.type === 'snapshot' && m.channel === c, `A's ${c} snapshot`);
const liveB = await liveClient(stack, B.token);
await liveB.next((m) => m.type === 'ready');
liveB.send({ type: 'subscribe', channels: ['orders', 'trades'] });
await liveB.next((m) => m.type === 'snapshot' && m.channel === 'trades');

// B trades: a fill, a partial exit, a resting order and a denial.
const bBuy = await place(apiB, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.003', clientOrderId: 'shared-cid-1' });
await filled(apiB, bBuy.orderId);
await eventually(async () =>
  (await apiB({ method: 'GET', url: '/api/balances' }))
    .json()
    .balances.some((b: { asset: string; free: string }) => b.asset === 'BTC' && Number(b.free) >= 0.001)
    ? true
    : undefined,
);
const bSell = await place(apiB, { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.001' });
await filled(apiB, bSell.orderId);
const bOpen = await place(apiB, {
  symbol: 'ETHUSDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.01',
  price: '1000',
  clientOrderId: 'b-resting',
});
await eventually(async () =>
  (await apiB({ method: 'GET', url: `/api/orders/${bOpen.orderId}` })).json().order.status === 'NEW' ? true : undefined,
);
const bDenied = (
  await apiB({
    method: 'POST',
    url: '/api/orders',
    payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '5', price: '60000' },
  })
).json().error.details.order.orderId as string;
const bTrades = await eventually(
  async () => {
    const trades = (await apiB({ method: 'GET', url: '/api/trades' })).json().trades as { tradeId: string }[];
    return trades.length >= 2 ? trades : undefined;
  },
  20_000,
  "B's two trades",
);
await liveB.next(
  (m) => m.type === 'update' && m.channel === 'orders' && JSON.stringify(m.data).includes(bOpen.orderId),
  "B's resting order on B's socket",
);
// A trades too, and waits for its own notice: it comes after B's on the same connection.
const aBuy = await place(apiA, { symbol: 'SOLUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5' });
await filled(apiA, aBuy.orderId);
await liveA.next(
  (m) => m.type === 'update' && m.channel === 'trades' && JSON.stringify(m.data).includes(aBuy.orderId),
  "A's own trade update",
);

const bOrders = [bBuy.orderId, bSell.orderId, bOpen.orderId, bDenied];
/** Every string that identifies B's data. (Venue trade ids are per-symbol counters on the
 * simulator, so A's SOL trade may carry the same number as B's BTC trade: trades are told apart
 * by their order id, which is B's.) */
const bMarks = [B.userId, B.email, ...bOrders, 'shared-cid-1', 'b-resting'];
const leaksOf = (text: string) => bMarks.filter((m) => text.includes(m));

/** What requests appended since `fromSeq` (the executor's own reports, which keep coming in the
 * background, are left out): a refused request must add nothing here. */
const REQUEST_EVENTS = new Set([
  'OrderPlaced',
  'OrderDenied',
  'OrderCancelRequested',
  'VenueKeysStored',
  'VenueKeysRemoved',
  'AuditAccessed',
  'AccountOpened',
  'TradingHalted',
  'TradingResumed',
]);
const lastSeq = () => stack.store.lastSeq();
async function requestEventsSince(fromSeq: number): Promise<string[]> {
  const out: string[] = [];
  const to = await lastSeq();
  for (let seq = fromSeq + 1; seq <= to; seq++) {
    const commit = await stack.store.get(seq);
    for (const e of commit?.events ?? []) if (REQUEST_EVENTS.has(e.type)) out.push(`${seq} ${e.type} ${commit?.subject ?? ''}`);
  }
  return out;
}

t.test("A gets 404 for B's orders, their events and their cancel; B's order is untouched", async (t) => {
  t.ok(bTrades.length >= 2, 'B has trades');
  const before = await lastSeq();
  for (const id of bOrders) {
    for (const [method, url] of [
      ['GET', `/api/orders/${id}`],
      ['GET', `/api/orders/${id}/events`],
      ['DELETE', `/api/orders/${id}`],
    ] as const) {
      const res = await apiA({ method, url });
      t.equal(res.statusCode, 404, `${method} ${url}`);
      t.equal(res.json().error?.code, 'ORDER_NOT_FOUND');
      t.same(
        leaksOf(res.body).filter((m) => m !== id),
        [],
        'the answer names nothing of B (but the id asked for)',
      );
    }
  }
  t.same(await requestEventsSince(before), [], "A's cancels of B's orders appended nothing");
  t.equal(
    (await apiB({ method: 'GET', url: `/api/orders/${bOpen.orderId}` })).json().order.status,
    'NEW',
    "B's resting order is still NEW",
  );
  // The same ids are there for their owner and for an auditor: the 404 is authorization, not absence.
  t.equal((await apiB({ method: 'GET', url: `/api/orders/${bOpen.orderId}/events` })).statusCode, 200);
  t.equal((await apiAuditor({ method: 'GET', url: `/api/audit/orders/${bOpen.orderId}` })).statusCode, 200);
});

t.test("A's WebSocket never carries B's data, live or in a fresh snapshot", async (t) => {
  t.ok(
    liveA.messages.some((m) => JSON.stringify(m).includes(aBuy.orderId)),
    "A's socket did carry A's own order (the channel works)",
  );
  t.same(leaksOf(JSON.stringify(liveA.messages)), [], `none of ${liveA.messages.length} messages on A's socket names B's data`);
  const count = liveA.messages.length;
  liveA.send({ type: 'subscribe', channels: ['orders', 'trades', 'positions', 'balances'] });
  for (const c of ['orders', 'trades', 'positions', 'balances']) {
    await eventually(() => liveA.messages.slice(count).find((m) => m.type === 'snapshot' && m.channel === c), 20_000, `${c} re-snapshot`);
  }
  t.same(leaksOf(JSON.stringify(liveA.messages.slice(count))), [], "fresh snapshots after B's trades name nothing of B");
  t.ok(JSON.stringify(liveB.messages).includes(bBuy.orderId), "B's own socket did carry B's order (control)");
  liveA.close();
  liveB.close();
});

t.test("A's lists never include B's rows", async (t) => {
  const urls = [
    '/api/orders',
    '/api/orders?status=all&limit=500',
    '/api/orders?status=open',
    '/api/orders?status=closed',
    '/api/orders?symbol=BTCUSDT',
    '/api/trades',
    '/api/trades?symbol=BTCUSDT&limit=500',
    '/api/positions',
    '/api/balances',
    `/api/positions?user=${B.userId}`,
    `/api/balances?userId=${B.userId}`,
  ];
  for (const url of urls) {
    const res = await apiA({ method: 'GET', url });
    t.equal(res.statusCode, 200, url);
    t.same(leaksOf(res.body), [], `${url}: nothing of B`);
  }
  const orders = (await apiA({ method: 'GET', url: '/api/orders?limit=500' })).json().orders as { orderId: string }[];
  t.same(orders.map((o) => o.orderId).sort(), [aOld.orderId, aBuy.orderId].sort(), "A's orders are exactly A's");
  const positions = (await apiA({ method: 'GET', url: '/api/positions' })).json().positions as { symbol: string }[];
  t.same(
    positions.map((p) => p.symbol),
    ['SOLUSDT'],
    'A holds SOL only (B holds BTC)',
  );
  const balances = (await apiA({ method: 'GET', url: '/api/balances' })).json().balances as { asset: string }[];
  t.notOk(
    balances.some((b) => b.asset === 'BTC'),
    'no BTC balance for A',
  );
  for (const url of [`/api/orders?userId=${B.userId}`, `/api/trades?user=${B.userId}`, `/api/orders?user=${B.email}`]) {
    t.equal((await apiA({ method: 'GET', url })).statusCode, 400, `${url}: another user's filter is refused`);
  }
  // The list cursor must not turn B's order ids into an oracle: an id A does not own is like an unknown one.
  const unknown = (await apiA({ method: 'GET', url: `/api/orders?before=${randomUUID()}` })).json().orders;
  const viaB = (await apiA({ method: 'GET', url: `/api/orders?before=${bOpen.orderId}` })).json().orders;
  t.same(viaB, unknown, "before=<B's order id> answers like an unknown id");
  // Idempotency is per user: B's clientOrderId is a new order for A, never B's order.
  const reuse = await apiA({
    method: 'POST',
    url: '/api/orders',
    payload: { symbol: 'SOLUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price: '50', clientOrderId: 'shared-cid-1' },
  });
  t.equal(reuse.statusCode, 201, "B's clientOrderId makes A a new order");
  t.not(reuse.json().order.orderId, bBuy.orderId);
  const byHeader = await apiA({
    method: 'POST',
    url: '/api/orders',
    payload: { symbol: 'SOLUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price: '50' },
    headers: { 'idempotency-key': 'b-resting' },
  });
  t.equal(byHeader.statusCode, 201, "B's key as Idempotency-Key makes A a new order too");
  t.same(
    leaksOf(reuse.body + byHeader.body).filter((m) => !m.includes('cid') && m !== 'b-resting'),
    [],
    'and names nothing of B',
  );
});

// Every route that needs a session, with the arguments that would reach B's data.
const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '20000' };
const AUDIT_ROUTES: [string, string][] = [
  ['GET', '/api/audit/users'],
  ['GET', `/api/audit/events?user=${B.userId}`],
  ['GET', `/api/audit/orders?user=${B.userId}`],
  ['GET', `/api/audit/orders/${bBuy.orderId}`],
  ['GET', `/api/audit/orders/${bBuy.orderId}/events`],
  ['GET', `/api/audit/positions?user=${B.userId}`],
  ['GET', `/api/audit/balances?user=${B.userId}&asOf=1`],
  ['POST', '/api/audit/verify'],
];
const SESSION_ROUTES: [string, string, unknown?][] = [
  ['POST', '/api/auth/ws-ticket'],
  ['GET', '/api/me'],
  ['PUT', '/api/me/venue-keys', { venue: 'binance-testnet', apiKey: 'forgedKey123', apiSecret: 'forgedSecret123' }],
  ['DELETE', '/api/me/venue-keys'],
  ['GET', '/api/market/symbols'],
  ['GET', '/api/market/BTCUSDT/candles'],
  ['GET', '/api/market/BTCUSDT/ticker'],
  ['POST', '/api/orders', order],
  ['GET', '/api/orders'],
  ['GET', `/api/orders/${bBuy.orderId}`],
  ['GET', `/api/orders/${bBuy.orderId}/events`],
  ['DELETE', `/api/orders/${bOpen.orderId}`],
  ['GET', '/api/trades'],
  ['GET', '/api/positions'],
  ['GET', '/api/balances'],
  ...AUDIT_ROUTES,
];
const send = (a: typeof app, method: string, url: string, headers: Record<string, string>, payload?: unknown) =>
  a.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

const secret = stack.config.JWT_SECRET;
const claimsOf = (s: Session, roles: string[] = ['trader']) => ({ sub: s.userId, email: s.email, roles });
const BAD_TOKENS: [string, string][] = [
  ['signed with another secret', signJwt({ ...claimsOf(B), iat: now() }, otherSecret())],
  ["signed with another secret, claiming B's auditor role", signJwt({ ...claimsOf(B, ['auditor']), iat: now() }, otherSecret())],
  ['expired', signJwt({ ...claimsOf(A), iat: now() - 3600, exp: now() - 60 }, secret)],
  ['expired by one second', signJwt({ ...claimsOf(A), iat: now() - 100, exp: now() - 1 }, secret)],
  ['not yet valid (nbf in an hour)', signJwt({ ...claimsOf(A), iat: now(), nbf: now() + 3600 }, secret)],
  ['alg none', unsignedJwt({ ...claimsOf(B), iat: now() })],
  ['alg None', unsignedJwt({ ...claimsOf(B), iat: now() }, 'None')],
  ['alg NONE with a signature', `${unsignedJwt({ ...claimsOf(B), iat: now() }, 'NONE')}${randomBytes(32).toString('base64url')}`],
  ['alg HS512 with the right secret', signJwt({ ...claimsOf(A), iat: now() }, secret, { alg: 'HS512', typ: 'JWT' })],
  ['alg RS256 header, HMAC body', signJwt({ ...claimsOf(A), iat: now() }, secret, { alg: 'RS256', typ: 'JWT' })],
  ["A's token with sub changed to B", tamper(A.token, (c) => ({ ...c, sub: B.userId }))],
  ["A's token with roles changed to auditor", tamper(A.token, (c) => ({ ...c, roles: ['auditor'] }))],
  ["A's token with exp pushed out", tamper(A.token, (c) => ({ ...c, exp: now() + 10 * 365 * 86400 }))],
  ["A's token without its signature", A.token.split('.').slice(0, 2).join('.')],
  ["A's token with an empty signature", `${A.token.split('.').slice(0, 2).join('.')}.`],
  ['garbage', 'not-a-jwt'],
  ['empty', ''],
];
const GHOST: [string, string] = [
  'correctly signed, sub = a random uuid',
  app.signSession({ sub: randomUUID(), email: 'ghost@example.com', roles: ['trader'] }),
];
const GHOST_AUDITOR: [string, string] = [
  'correctly signed auditor, sub = a random uuid',
  app.signSession({ sub: randomUUID(), email: 'ghost@example.com', roles: ['auditor'] }),
];

t.test('forged, expired, unsigned and tampered tokens: 401 on every REST route', async (t) => {
  const before = await lastSeq();
  const wrong: string[] = [];
  for (const [name, token] of BAD_TOKENS) {
    for (const [method, url, payload] of SESSION_ROUTES) {
      const res = await send(app, method, url, { authorization: `Bearer ${token}` }, payload);
      const problem = envelopeProblem(res.statusCode, res.body);
      if (res.statusCode !== 401 || res.json().error?.code !== 'UNAUTHENTICATED' || problem)
        wrong.push(`${name}: ${method} ${url} → ${res.statusCode} ${res.body.slice(0, 80)}`);
    }
  }
  t.same(wrong, [], `${BAD_TOKENS.length} bad tokens × ${SESSION_ROUTES.length} routes: all 401 UNAUTHENTICATED`);
  t.same(await requestEventsSince(before), [], 'no bad token appended anything');
  const none = [];
  for (const [method, url, payload] of SESSION_ROUTES) {
    const res = await send(app, method, url, {}, payload);
    if (res.statusCode !== 401) none.push(`${method} ${url} → ${res.statusCode}`);
  }
  t.same(none, [], 'no token: 401 everywhere');
  for (const [name, token] of [GHOST, GHOST_AUDITOR]) {
    const accepted: string[] = [];
    for (const [method, url, payload] of SESSION_ROUTES) {
      const res = await send(app, method, url, { authorization: `Bearer ${token}` }, payload);
      if (res.statusCode !== 401 && res.statusCode !== 403) accepted.push(`${method} ${url} → ${res.statusCode}`);
    }
    t.same(accepted, [], `${name}: refused with 401 everywhere`);
  }
});

t.test('a WebSocket ticket is refused by every REST route, and cannot mint more tickets', async (t) => {
  const ticket = (await apiA({ method: 'POST', url: '/api/auth/ws-ticket' })).json().ticket as string;
  const wrong: string[] = [];
  for (const [method, url, payload] of SESSION_ROUTES) {
    const res = await send(app, method, url, { authorization: `Bearer ${ticket}` }, payload);
    if (res.statusCode !== 401 || envelopeProblem(res.statusCode, res.body)) wrong.push(`${method} ${url} → ${res.statusCode}`);
  }
  t.same(wrong, [], 'ticket → 401 on every REST route');
  const live = await liveClient(stack, ticket);
  await live.next((m) => m.type === 'ready', 'the ticket does open the WebSocket');
  live.close();
  const expiredTicket = signJwt({ ...claimsOf(A), scope: 'ws', iat: now() - 120, exp: now() - 60 }, secret);
  const stale = await liveClient(stack, expiredTicket);
  await eventually(() => stale.closed(), 10_000, 'the expired ticket to be refused');
  t.equal(stale.closed()?.code, 4401, 'an expired ticket closes with 4401');
});

/** Opens /api/ws with ?token= and reports the close code and whether it ever got `ready`. */
function wsWithQuery(token: string): Promise<{ code: number; ready: boolean }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/api/ws?token=${encodeURIComponent(token)}`);
    let ready = false;
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ code: -1, ready });
    }, 12_000);
    ws.on('message', (d) => {
      if (JSON.parse(d.toString()).type === 'ready') {
        ready = true;
        clearTimeout(timer);
        ws.close();
      }
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ready });
    });
    ws.on('error', reject);
  });
}

t.test('bad tokens close the WebSocket with 4401, by first message and by ?token=', async (t) => {
  for (const [name, token] of BAD_TOKENS.filter(([n]) => n !== 'empty')) {
    const live = await liveClient(stack, token);
    await eventually(() => live.closed(), 12_000, `${name}: close`);
    t.equal(live.closed()?.code, 4401, `${name} (auth message)`);
    t.notOk(
      live.messages.some((m) => m.type === 'ready'),
      `${name}: never ready`,
    );
    const viaQuery = await wsWithQuery(token);
    t.same(viaQuery, { code: 4401, ready: false }, `${name} (?token=)`);
  }
  for (const [name, token] of [GHOST, GHOST_AUDITOR]) {
    const viaQuery = await wsWithQuery(token);
    t.same(viaQuery, { code: 4401, ready: false }, `${name}: refused`);
  }
});

t.test('roles: a trader gets 403 on every audit route; an auditor cannot place or cancel', async (t) => {
  for (const [method, url] of AUDIT_ROUTES) {
    const res = await send(app, method, url, { authorization: `Bearer ${A.token}` });
    t.equal(res.statusCode, 403, `trader: ${method} ${url}`);
    t.equal(res.json().error?.code, 'FORBIDDEN');
    t.same(leaksOf(res.body), [], 'and learns nothing of B');
  }
  const placed = await apiAuditor({ method: 'POST', url: '/api/orders', payload: order });
  t.equal(placed.statusCode, 403, 'auditor: POST /api/orders');
  t.equal(placed.json().error?.code, 'FORBIDDEN');
  const before = await lastSeq();
  const cancel = await apiAuditor({ method: 'DELETE', url: `/api/orders/${bOpen.orderId}` });
  t.equal(cancel.statusCode, 403, "auditor: DELETE B's order");
  t.same(await requestEventsSince(before), [], 'nothing appended');
  t.equal((await apiB({ method: 'GET', url: `/api/orders/${bOpen.orderId}` })).json().order.status, 'NEW', "B's order still NEW");
});

t.test('admin API: 401 without or with a wrong x-admin-token, 403 when not configured', async (t) => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/admin/trading'],
    ['POST', '/api/admin/halt', { reason: 'not you' }],
    ['POST', '/api/admin/resume'],
  ];
  const wrongHeaders: [string, Record<string, string>][] = [
    ['no header', {}],
    ['empty', { 'x-admin-token': '' }],
    ['wrong', { 'x-admin-token': randomBytes(24).toString('hex') }],
    ['upper-cased', { 'x-admin-token': adminToken.toUpperCase() }],
    ['one character short', { 'x-admin-token': adminToken.slice(0, -1) }],
    ['with a suffix', { 'x-admin-token': `${adminToken}0` }],
    ['as a bearer token', { authorization: `Bearer ${adminToken}` }],
    ["an auditor's session", { 'x-admin-token': auditor.token, authorization: `Bearer ${auditor.token}` }],
  ];
  for (const [method, url, payload] of routes) {
    for (const [name, headers] of wrongHeaders) {
      const res = await send(app, method, url, headers, payload);
      t.equal(res.statusCode, 401, `${method} ${url}: ${name}`);
      t.equal(res.json().error?.code, 'UNAUTHENTICATED');
    }
  }
  const status = await send(app, 'GET', '/api/admin/trading', { 'x-admin-token': adminToken });
  t.match(status.json(), { halted: false }, 'the right token works (control)');

  const disabled = await buildApp({ ...stack.config, ADMIN_TOKEN: '' }, { logger: false });
  t.teardown(() => disabled.close());
  for (const [method, url, payload] of routes) {
    for (const headers of [{}, { 'x-admin-token': '' }, { 'x-admin-token': adminToken }] as Record<string, string>[]) {
      const res = await send(disabled, method, url, headers, payload);
      t.equal(res.statusCode, 403, `disabled: ${method} ${url} with ${JSON.stringify(Object.keys(headers))}`);
      t.equal(res.json().error?.code, 'FORBIDDEN');
    }
  }
  t.equal((await send(app, 'GET', '/api/admin/trading', { 'x-admin-token': adminToken })).json().halted, false, 'nothing halted trading');
});

t.test('login is rate limited against password guessing', async (t) => {
  const victim = await register(app);
  const login = (email: string, password: string, extra: Record<string, unknown> = {}) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, ...extra });
  for (let i = 0; i < LIMIT; i++) {
    const res = await login(victim.email, `wrong password ${i}`);
    t.equal(res.statusCode, 401, `wrong password ${i + 1} of ${LIMIT}: 401`);
    t.equal(res.json().error.code, 'INVALID_CREDENTIALS');
  }
  const limited = await login(victim.email, 'wrong password again');
  t.equal(limited.statusCode, 429, `attempt ${LIMIT + 1}: 429`);
  t.equal(envelopeProblem(limited.statusCode, limited.body), null, 'in the error envelope');
  t.equal(limited.json().error.code, 'RATE_LIMITED');
  t.match(limited.headers['retry-after'], /^[1-9][0-9]*$/, 'with a Retry-After in seconds');
  t.equal((await login(victim.email, PASSWORD)).statusCode, 429, 'even the right password waits out the window');
  const upper = await login(victim.email.toUpperCase(), 'guessing again');
  t.equal(upper.statusCode, 429, `the upper-cased email shares the limit ${upper.body}`);
  t.equal(
    (await login(victim.email, 'guessing again', { headers: { 'x-forwarded-for': '203.0.113.9' } })).statusCode,
    429,
    'a spoofed X-Forwarded-For does not reset it',
  );

  // Another email from the same client is not caught by the victim's limit.
  for (let i = 0; i < LIMIT; i++) {
    const res = await login(A.email, `wrong password ${i}`);
    t.equal(res.statusCode, 401, `a different email, attempt ${i + 1}: 401, not 429`);
  }
  t.equal((await login(A.email, 'one too many')).statusCode, 429, 'until its own limit');

  // Guessing one password from many addresses, and many accounts' passwords from one address.
  const distributed = [];
  for (let i = 0; i < 3 * LIMIT; i++) {
    distributed.push((await login(B.email, `wrong guess ${i}`, { remoteAddress: `198.51.100.${i + 1}` })).statusCode);
  }
  t.ok(distributed.includes(429), `one account guessed from ${3 * LIMIT} addresses hits a limit (got ${distributed.join(',')})`);
  // The per-address limit is five times the per-account one (offices share an address). The
  // minute slides, so attempts that began a while ago weigh less by the time the last is judged:
  // 2 × 5 × LIMIT + 1 attempts hit the limit however slowly a loaded machine makes them.
  const spray = 2 * 5 * LIMIT + 1;
  const sprayed = [];
  for (let i = 0; i < spray; i++) {
    sprayed.push((await login(`spray${i}@example.com`, 'Winter2026!', { remoteAddress: '198.51.100.200' })).statusCode);
  }
  t.ok(sprayed.includes(429), `one address spraying ${spray} accounts hits a limit (got ${sprayed.join(',')})`);
});

t.test('passwords are stored with scrypt, salted, never in the clear', async (t) => {
  const twin = await register(app, undefined, PASSWORD);
  const rows = (await sql<{ email: string; hash: string }>`select email, password_hash as hash from users`.execute(stack.db)).rows;
  t.ok(rows.length >= 5, `${rows.length} users`);
  for (const { email, hash } of rows) {
    t.match(hash, /^scrypt\$/, `${email}: scrypt`);
    const [, n, r, p, salt = '', key = ''] = hash.split('$');
    t.ok(Number(n) >= 2 ** 14 && Number(r) >= 8 && Number(p) >= 1, `${email}: cost N=${n} r=${r} p=${p}`);
    t.ok(Buffer.from(salt, 'base64').length >= 16, `${email}: a 16-byte salt at least`);
    t.ok(Buffer.from(key, 'base64').length >= 32, `${email}: a 32-byte key`);
    t.not(hash, PASSWORD);
    for (const form of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(PASSWORD).toString('hex')])
      t.notOk(hash.includes(form), `${email}: the password is not in the hash in any encoding`);
  }
  const hashes = rows.filter((r) => r.email === twin.email.toLowerCase() || r.email === A.email.toLowerCase()).map((r) => r.hash);
  t.equal(new Set(hashes).size, 2, 'the same password hashes differently for two users (salted)');
});
