// Hostile input against every route and every WebSocket message type, from a seeded PRNG (the seed
// is printed; FUZZ_SEED=<n> reproduces a run). Asserts: no 5xx, every error in the contract's
// envelope, rejected order requests append nothing, and the WebSocket never takes the gateway down.
// Bugs this fuzzer once found keep their own buckets, so a regression is named in the report.
import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import { grantRole } from '@blotter/accounts';
import { ServerMessage } from '@blotter/schemas';
import { Compile } from 'typebox/compile';
import { as, eventually, liveClient, register, type Session, startStack, streamCount, uniqueEmail } from '@blotter/test-kit';
import { envelopeProblem } from './support/contract.ts';
import {
  alnum,
  brokenJson,
  fuzzSeed,
  type Json,
  junk,
  mutate,
  NASTY_DECIMALS,
  NASTY_TIMES,
  nastyString,
  pathSegment,
  pool,
  queryString,
  type Rng,
  rng,
  wrongType,
} from './support/fuzz-gen.ts';
import { otherSecret, signJwt, tamper, unsignedJwt, now } from './support/jwt.ts';
import { rawRequest } from './support/raw-http.ts';

const seed = fuzzSeed();
t.comment(`FUZZ_SEED=${seed} (rerun with FUZZ_SEED=${seed} to reproduce)`);
const started = Date.now();

const adminToken = randomBytes(24).toString('hex');
// One login attempt per email a minute: valid-looking logins cost an scrypt each, so the limit
// keeps the fuzzer from spending the run hashing.
const stack = await startStack(t, { env: { gateway: { ADMIN_TOKEN: adminToken, LOGIN_ATTEMPTS_PER_MINUTE: '1' } } });
const { app } = stack;

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'];

// ---------------------------------------------------------------------------------------------
// Fixtures: two traders with orders, an auditor, a WebSocket ticket, and a price to trade at.
const trader1 = await register(app);
const trader2 = await register(app);
// Several auditors: each auditor's reads are recorded on one aggregate, and the fuzzer's parallel
// reads would otherwise mostly measure that contention (pinned down as a bug below).
const auditors: Session[] = [];
for (let i = 0; i < 4; i++) {
  const reg = await register(app);
  await grantRole(app.accounts, reg.userId, 'auditor');
  auditors.push({ ...reg, token: app.signSession({ sub: reg.userId, email: reg.email, roles: ['auditor'] }) });
}
const auditor = auditors[0] as Session;
const api1 = as(app, trader1);
const api2 = as(app, trader2);
await eventually(async () => ((await api1({ method: 'GET', url: '/api/balances' })).json().balances.length ? true : undefined));
await eventually(async () => ((await api2({ method: 'GET', url: '/api/balances' })).json().balances.length ? true : undefined));
await eventually(async () => ((await api1({ method: 'GET', url: '/api/market/BTCUSDT/ticker' })).statusCode === 200 ? true : undefined));
const limit = (quantity: string, price: string) => ({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity, price });
const ownOrders: string[] = [];
const place = async (api: typeof api1, quantity: string) => {
  const res = await api({ method: 'POST', url: '/api/orders', payload: limit(quantity, '20000') });
  if (res.statusCode !== 201) throw new Error(`fixture order: ${res.statusCode} ${res.body}`);
  return res.json().order.orderId as string;
};
for (const q of ['0.01', '0.02']) ownOrders.push(await place(api1, q));
const otherOrder = await place(api2, '0.01');
const ticket = (await api1({ method: 'POST', url: '/api/auth/ws-ticket' })).json().ticket as string;
const knownEmails = [trader1.email, trader2.email, auditor.email];
const orderIds = [...ownOrders, otherOrder, randomUUID(), '0192f4a8-0000-7000-8000-000000000000'];

const secret = stack.config.JWT_SECRET;
const claims1 = { sub: trader1.userId, email: trader1.email, roles: ['trader'] };
const BAD_TOKENS = [
  signJwt({ ...claims1, iat: now() - 100, exp: now() - 10 }, secret),
  signJwt({ ...claims1, iat: now() }, otherSecret()),
  signJwt({ ...claims1, iat: now() }, secret, { alg: 'HS512', typ: 'JWT' }),
  unsignedJwt(claims1),
  unsignedJwt(claims1, 'None'),
  tamper(trader1.token, (c) => ({ ...c, roles: ['auditor'] })),
  tamper(trader1.token, (c) => ({ ...c, sub: trader2.userId })),
  'garbage',
  'a.b.c',
  '..',
  `${trader1.token}x`,
  trader1.token.split('.').slice(0, 2).join('.'),
  ticket,
];

// The WebSocket ticket is a bad REST credential but a good WebSocket one (until it expires).
const WS_BAD_TOKENS = BAD_TOKENS.filter((t) => t !== ticket);

function authHeader(r: Rng, prefer: 'trader' | 'auditor' | 'none'): Record<string, string> {
  const bearer = (tok: string) => ({ authorization: `Bearer ${tok}` });
  const valid = prefer === 'auditor' ? r.pick(auditors).token : prefer === 'trader' ? trader1.token : null;
  return r.weighted<() => Record<string, string>>([
    [valid ? 10 : 1, () => bearer(valid ?? trader1.token)],
    [2, () => bearer(r.pick([trader1.token, trader2.token, auditor.token]))],
    [3, () => ({})],
    [3, () => bearer(r.pick(BAD_TOKENS))],
    [
      2,
      () => ({
        authorization: r.pick([
          'Bearer',
          'Bearer ',
          `bearer ${trader1.token}`,
          `Bearer  ${trader1.token}`,
          `Basic ${Buffer.from('a:b').toString('base64')}`,
          trader1.token,
          `Bearer ${'A'.repeat(8000)}`,
          `Bearer ${alnum(r, 40)}`,
          `Token ${trader1.token}`,
          `Bearer ${trader1.token}, Bearer ${trader2.token}`,
        ]),
      }),
    ],
  ])();
}

const CONTENT_TYPES: readonly (readonly [number, string | null])[] = [
  [30, 'application/json'],
  [3, 'application/json; charset=utf-8'],
  [2, 'text/plain'],
  [2, 'application/x-www-form-urlencoded'],
  [1, 'multipart/form-data; boundary=xyz'],
  [1, 'application/json; charset=latin1'],
  [1, 'application/json; charset=utf-16'],
  [1, 'APPLICATION/JSON'],
  [1, 'application/vnd.api+json'],
  [1, 'application/jsonx'],
  [1, 'text/json'],
  [1, 'application/json, text/plain'],
  [1, 'application/octet-stream'],
  [1, ''],
  [2, null],
];

interface Req {
  route: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

interface Route {
  name: string;
  /** How often at least (default 40). */
  min?: number;
  method: string;
  weight: number;
  prefer: 'trader' | 'auditor' | 'none';
  path: (r: Rng) => string;
  query?: Record<string, (r: Rng) => string>;
  body?: (r: Rng) => Json;
  extraHeaders?: (r: Rng) => Record<string, string>;
}

const pickSym = (r: Rng) =>
  r.weighted([
    [6, r.pick(SYMBOLS)],
    [1, 'btcusdt'],
    [1, 'DOGEUSDT'],
  ]);
const ADMIN_HEADERS = (r: Rng): Record<string, string> =>
  r.weighted<() => Record<string, string>>([
    [3, () => ({ 'x-admin-token': adminToken })],
    [2, () => ({})],
    [1, () => ({ 'x-admin-token': '' })],
    [1, () => ({ 'x-admin-token': adminToken.toUpperCase() })],
    [1, () => ({ 'x-admin-token': `${adminToken} ` })],
    [1, () => ({ 'x-admin-token': adminToken.slice(0, -1) })],
    [1, () => ({ 'x-admin-token': `${adminToken}, ${adminToken}` })],
    [1, () => ({ 'x-admin-token': alnum(r, 48) })],
    [1, () => ({ 'x-admin-token': 'A'.repeat(5000) })],
  ])();

let freshRegistrations = 0;
const ROUTES: Route[] = [
  {
    name: 'POST /api/auth/register',
    method: 'POST',
    weight: 4,
    prefer: 'none',
    path: () => '/api/auth/register',
    body: (r) => ({
      // Fresh valid registrations cost an scrypt and a simulator account: a few only.
      email: r.chance(0.01) && freshRegistrations++ < 1 ? uniqueEmail('fuzz') : r.pick(knownEmails),
      password: r.pick(['correct horse battery', 'x'.repeat(256), 'pässwörd-ünïcode', '\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000']),
    }),
  },
  {
    name: 'POST /api/auth/login',
    method: 'POST',
    weight: 4,
    prefer: 'none',
    path: () => '/api/auth/login',
    body: (r) => ({ email: r.pick([...knownEmails, 'nobody@example.com']), password: r.pick(['correct horse battery', 'wrong password']) }),
  },
  { name: 'POST /api/auth/ws-ticket', method: 'POST', weight: 3, prefer: 'trader', path: () => '/api/auth/ws-ticket' },
  { name: 'GET /api/me', method: 'GET', weight: 3, prefer: 'trader', path: () => '/api/me' },
  {
    name: 'PUT /api/me/venue-keys',
    method: 'PUT',
    weight: 4,
    prefer: 'trader',
    path: () => '/api/me/venue-keys',
    body: (r) => ({ venue: r.pick(['paper', 'binance-testnet']), apiKey: alnum(r, r.range(8, 128)), apiSecret: alnum(r, r.range(8, 128)) }),
  },
  { name: 'DELETE /api/me/venue-keys', method: 'DELETE', weight: 2, prefer: 'trader', path: () => '/api/me/venue-keys' },
  { name: 'GET /api/market/symbols', method: 'GET', weight: 2, prefer: 'trader', path: () => '/api/market/symbols' },
  {
    name: 'GET /api/market/:symbol/candles',
    method: 'GET',
    weight: 4,
    prefer: 'trader',
    path: (r) => `/api/market/${pathSegment(r, SYMBOLS)}/candles`,
    query: {
      interval: (r) => r.pick(['1m', '5m', '1h', '1d', '1w', '7m', '1M']),
      limit: (r) => String(r.pick([1, 10, 1000, 1001, 0, -1])),
    },
  },
  {
    name: 'GET /api/market/:symbol/ticker',
    method: 'GET',
    weight: 3,
    prefer: 'trader',
    path: (r) => `/api/market/${pathSegment(r, SYMBOLS)}/ticker`,
  },
  {
    name: 'GET /api/orders',
    method: 'GET',
    weight: 5,
    prefer: 'trader',
    path: () => '/api/orders',
    query: {
      status: (r) => r.pick(['open', 'closed', 'all', 'OPEN', 'FILLED']),
      symbol: pickSym,
      limit: (r) => String(r.pick([1, 100, 500, 501, 0])),
      before: (r) => r.pick(orderIds),
    },
  },
  {
    name: 'GET /api/orders/:orderId',
    method: 'GET',
    weight: 5,
    prefer: 'trader',
    path: (r) => `/api/orders/${pathSegment(r, orderIds)}`,
  },
  {
    name: 'GET /api/orders/:orderId/events',
    method: 'GET',
    weight: 5,
    prefer: 'trader',
    path: (r) => `/api/orders/${pathSegment(r, orderIds)}/events`,
  },
  {
    name: 'GET /api/trades',
    method: 'GET',
    weight: 3,
    prefer: 'trader',
    path: () => '/api/trades',
    query: { symbol: pickSym, limit: (r) => String(r.pick([1, 500, 501, 0, 1.5])) },
  },
  { name: 'GET /api/positions', method: 'GET', weight: 3, prefer: 'trader', path: () => '/api/positions', query: { x: () => '1' } },
  { name: 'GET /api/balances', method: 'GET', weight: 3, prefer: 'trader', path: () => '/api/balances', query: { x: () => '1' } },
  { name: 'GET /api/audit/users', method: 'GET', weight: 2, prefer: 'auditor', path: () => '/api/audit/users' },
  {
    name: 'GET /api/audit/events',
    method: 'GET',
    weight: 5,
    prefer: 'auditor',
    path: () => '/api/audit/events',
    query: {
      order: (r) => r.pick(orderIds),
      user: (r) => r.pick([trader1.userId, trader1.email, 'nobody@example.com', trader1.userId.toUpperCase()]),
      type: (r) => r.pick(['OrderPlaced', 'AccountOpened', 'AuditAccessed', 'Order.Placed']),
      since: (r) => r.pick(NASTY_TIMES),
      until: (r) => r.pick(NASTY_TIMES),
      after: (r) => String(r.pick([0, 1, 5, 2 ** 53, -1])),
      limit: (r) => String(r.pick([1, 2, 1000, 1001])),
    },
  },
  {
    name: 'GET /api/audit/orders',
    method: 'GET',
    weight: 4,
    prefer: 'auditor',
    path: () => '/api/audit/orders',
    query: {
      user: (r) => r.pick([trader1.userId, trader2.email, 'nobody@example.com']),
      status: (r) => r.pick(['open', 'closed', 'all', 'x']),
      symbol: pickSym,
      limit: (r) => String(r.pick([1, 500, 501])),
      before: (r) => r.pick(orderIds),
    },
  },
  {
    name: 'GET /api/audit/orders/:orderId',
    method: 'GET',
    weight: 3,
    prefer: 'auditor',
    path: (r) => `/api/audit/orders/${pathSegment(r, orderIds)}`,
  },
  {
    name: 'GET /api/audit/orders/:orderId/events',
    method: 'GET',
    weight: 3,
    prefer: 'auditor',
    path: (r) => `/api/audit/orders/${pathSegment(r, orderIds)}/events`,
  },
  {
    name: 'GET /api/audit/positions',
    method: 'GET',
    weight: 3,
    prefer: 'auditor',
    path: () => '/api/audit/positions',
    query: {
      user: (r) => r.pick([trader1.userId, trader1.email, 'nobody@example.com']),
      asOf: (r) => r.pick([...NASTY_TIMES, '1', '5', '0']),
    },
  },
  {
    name: 'GET /api/audit/balances',
    method: 'GET',
    weight: 3,
    prefer: 'auditor',
    path: () => '/api/audit/balances',
    query: { user: (r) => r.pick([trader2.userId, trader2.email]), asOf: (r) => r.pick([...NASTY_TIMES, '1', '3']) },
  },
  // verify rebuilds every projection: mostly refused (trader/no token), rarely run.
  { name: 'POST /api/audit/verify', method: 'POST', weight: 1, prefer: 'none', path: () => '/api/audit/verify' },
  {
    name: 'GET /api/admin/trading',
    method: 'GET',
    weight: 2,
    prefer: 'none',
    path: () => '/api/admin/trading',
    extraHeaders: ADMIN_HEADERS,
  },
  {
    name: 'POST /api/admin/halt',
    method: 'POST',
    weight: 3,
    prefer: 'none',
    path: () => '/api/admin/halt',
    body: (r) => ({ reason: r.pick(['fuzz drill', 'x'.repeat(500), 'x'.repeat(501), '']) }),
    extraHeaders: ADMIN_HEADERS,
  },
  {
    name: 'POST /api/admin/resume',
    method: 'POST',
    weight: 2,
    prefer: 'none',
    path: () => '/api/admin/resume',
    extraHeaders: ADMIN_HEADERS,
  },
  { name: 'GET /api/schemas', method: 'GET', weight: 1, prefer: 'none', path: () => '/api/schemas' },
  {
    name: 'GET /api/schemas/:name',
    method: 'GET',
    weight: 4,
    prefer: 'none',
    path: (r) =>
      `/api/schemas/${pathSegment(r, ['OrderPlaced', 'OrderPlaced.v1', 'OrderPlaced.v2', 'OrderPlaced.v0', 'OrderPlaced.v99999999999999999999', 'ErrorResponse', '__proto__', 'constructor', 'toString'])}`,
    query: { version: (r) => String(r.pick([1, 2, 0, 1001, 1.5, -1])) },
  },
  { name: 'GET /healthz', method: 'GET', weight: 1, prefer: 'none', path: () => '/healthz' },
  { name: 'GET /readyz', method: 'GET', weight: 0.3, min: 25, prefer: 'none', path: () => '/readyz' },
  { name: 'GET /metrics', method: 'GET', weight: 0.3, min: 25, prefer: 'none', path: () => '/metrics' },
  { name: 'GET /openapi.json', method: 'GET', weight: 1, prefer: 'none', path: () => '/openapi.json' },
  { name: 'GET /asyncapi.json', method: 'GET', weight: 1, prefer: 'none', path: () => '/asyncapi.json' },
  {
    name: 'GET /docs/*',
    method: 'GET',
    weight: 1,
    prefer: 'none',
    path: (r) => `/docs/${pathSegment(r, ['', 'json', 'static/index.html', 'static/../../package.json'])}`,
  },
  { name: 'GET /api/ws (plain HTTP)', method: 'GET', weight: 1, prefer: 'trader', path: () => '/api/ws' },
  {
    name: 'unknown route',
    method: 'GET',
    weight: 2,
    prefer: 'trader',
    path: (r) => `/api/${pathSegment(r, ['order', 'orders/x/y/z', 'admin', 'audit', 'me/keys', 'users'])}`,
  },
];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
let verifyRuns = 0;

function generate(r: Rng, route: Route): Req {
  const method = r.chance(0.05) ? r.pick(METHODS) : route.method;
  let prefer = route.prefer;
  if (route.name === 'POST /api/audit/verify' && r.chance(0.05) && verifyRuns++ < 1) prefer = 'auditor';
  const headers: Record<string, string> = { ...authHeader(r, prefer), ...(route.extraHeaders?.(r) ?? {}) };
  if (r.chance(0.05))
    headers[r.pick(['x-forwarded-for', 'x-request-id', 'accept', 'idempotency-key', 'x-admin-token', 'origin'])] = nastyString(r)
      .replace(/[^\x20-\x7e]/g, '?')
      .slice(0, 500);
  const url = `${route.path(r)}${route.query || r.chance(0.1) ? queryString(r, Object.fromEntries(Object.entries(route.query ?? {}).map(([k, f]) => [k, () => f(r)]))) : ''}`;
  let payload: string | undefined;
  const bodyish = method === 'POST' || method === 'PUT' || method === 'DELETE' || method === 'PATCH';
  if (bodyish && (route.body || r.chance(0.3))) {
    const valid = route.body?.(r) ?? {};
    payload = r.weighted<() => string | undefined>([
      [14, () => JSON.stringify(mutate(r, valid))],
      [3, () => brokenJson(r, valid)],
      [1, () => JSON.stringify({ ...valid, pad: 'x'.repeat(r.pick([65_536, 70_000, 200_000])) })],
      [1, () => undefined],
      [1, () => JSON.stringify(junk(r))],
    ])();
    const ct = r.weighted(CONTENT_TYPES);
    if (payload !== undefined && ct !== null) headers['content-type'] = ct;
    if (payload === undefined && r.chance(0.5)) headers['content-type'] = 'application/json';
  } else if (r.chance(0.03)) {
    payload = JSON.stringify(junk(r));
    headers['content-type'] = 'application/json';
  }
  return { route: route.name, method, url, headers, ...(payload !== undefined ? { payload } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Outcome bookkeeping shared by every phase.
const byStatus = new Map<number, number>();
const byRoute = new Map<string, number>();
let sent = 0;
const violations: string[] = [];
/** Bugs the fuzzer found once (all fixed), each its own bucket so a regression is named. */
const known = {
  frameworkNoEnvelope: [] as string[],
  wsRouteNoEnvelope: [] as string[],
  invalidSince500: [] as string[],
  venueKeys500: [] as string[],
  auditContention503: [] as string[],
  docsNul500: [] as string[],
};

const describe = (req: Req, status: number, body: string) =>
  `${req.method} ${req.url.slice(0, 160)} [${Object.keys(req.headers).join(',')}] ${req.payload ? `body=${JSON.stringify(req.payload.slice(0, 100))}` : ''} -> ${status} ${body.slice(0, 160)}`;

function record(req: Req, status: number, body: string): void {
  sent++;
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  byRoute.set(req.route, (byRoute.get(req.route) ?? 0) + 1);
  const what = describe(req, status, body);
  if (status >= 500) {
    const since = /[?&]since=([^&]*)/.exec(req.url)?.[1];
    const unparseable = (s: string) => {
      try {
        return Number.isNaN(new Date(decodeURIComponent(s)).getTime());
      } catch {
        return false;
      }
    };
    if (req.url.startsWith('/api/audit/events') && since && unparseable(since)) known.invalidSince500.push(what);
    else if (status === 500 && req.route.endsWith('/api/me/venue-keys')) known.venueKeys500.push(what);
    else if (status === 503 && req.url.startsWith('/api/audit/') && body.includes('the audit log is unavailable'))
      known.auditContention503.push(what);
    else if (status === 500 && req.url.startsWith('/docs/') && /%00/.test(req.url)) known.docsNul500.push(what);
    else violations.push(`5xx: ${what}`);
    return;
  }
  if (status < 400 || req.method === 'HEAD') return;
  const problem = envelopeProblem(status, body);
  if (!problem) return;
  if (/"code":"FST_ERR_(BAD_URL|MAX_PARAM_LENGTH)"/.test(body)) known.frameworkNoEnvelope.push(what);
  else if (req.url.split('?')[0] === '/api/ws' && body === '') known.wsRouteNoEnvelope.push(what);
  else violations.push(`${problem}: ${what}`);
}

async function inject(req: Req) {
  const res = await app.inject({
    method: req.method as 'GET',
    url: req.url,
    headers: req.headers,
    ...(req.payload !== undefined ? { payload: req.payload } : {}),
  });
  return res;
}

// ---------------------------------------------------------------------------------------------
t.test('every REST route: generated hostile requests never 5xx and always answer in the envelope', async (t) => {
  const r = rng(seed);
  const total = 7900;
  const weights = ROUTES.map((route) => [route.weight, route] as const);
  // Every route at least 40 times, the rest by weight.
  const plan: Route[] = ROUTES.flatMap((route) => Array.from({ length: route.min ?? 40 }, () => route));
  while (plan.length < total) plan.push(r.weighted(weights));
  const requests = plan.map((route) => generate(r, route));
  const spent = new Map<string, number>();
  await pool(12, requests, async (req) => {
    const t0 = performance.now();
    const res = await inject(req);
    spent.set(req.route, (spent.get(req.route) ?? 0) + performance.now() - t0);
    record(req, res.statusCode, res.body);
  });
  t.comment(
    `slowest: ${JSON.stringify(
      [...spent.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, v]) => [k, Math.round(v)]),
    )}`,
  );
  // Whatever the admin fuzz did, trading is on again for the order phase.
  await app.inject({ method: 'POST', url: '/api/admin/resume', headers: { 'x-admin-token': adminToken } });
  t.ok(sent >= total, `${sent} requests sent`);
  for (const route of ROUTES)
    t.ok((byRoute.get(route.name) ?? 0) >= (route.min ?? 40), `${route.name} fuzzed ${byRoute.get(route.name)} times`);
  t.same(violations.slice(0, 15), [], `no contract violation (${violations.length} in all; seed ${seed})`);
});

t.test('POST and DELETE /api/orders: rejected requests append nothing (stream count per request)', async (t) => {
  const r = rng(seed ^ 0x5eed);
  const users = [trader1, trader2];
  const open: string[] = [...ownOrders];
  const cids = Array.from({ length: 12 }, (_, i) => `fuzz-${seed % 1000}-${i}`);
  const orderBody = (): Json => {
    const type = r.pick(['MARKET', 'LIMIT', 'LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);
    const body: Json = {
      symbol: r.weighted([
        [8, r.pick(SYMBOLS)],
        [1, 'DOGEUSDT'],
      ]),
      side: r.pick(['BUY', 'SELL']),
      type,
      quantity: r.pick(['0.001', '0.01', '0.1', '1', '0.00001', '2']),
    };
    if (type !== 'MARKET' || r.chance(0.05)) body.price = r.pick(['100', '1000', '1000.5', '30000', '60000', '0.01']);
    if (type.endsWith('_LIMIT') || r.chance(0.05)) body.stopPrice = r.pick(['900', '1100', '50000']);
    if (r.chance(0.3)) body.timeInForce = r.pick(['GTC', 'IOC', 'FOK', 'DAY']);
    if (r.chance(0.4)) body.clientOrderId = r.pick(cids);
    return body;
  };
  const steps = 2100;
  let before = await streamCount(stack);
  let appended = 0;
  const leaks: string[] = [];
  for (let i = 0; i < steps; i++) {
    const user = r.pick(users);
    let req: Req;
    if (r.chance(0.85)) {
      const valid = orderBody();
      const headers: Record<string, string> = r.chance(0.85) ? { authorization: `Bearer ${user.token}` } : authHeader(r, 'trader');
      if (r.chance(0.1))
        headers['idempotency-key'] = r.pick([
          ...cids,
          '',
          'has space',
          'x'.repeat(37),
          'x'.repeat(65),
          '🚀',
          `${r.pick(cids)}, ${r.pick(cids)}`,
        ]);
      const payload = r.weighted<() => string>([
        [6, () => JSON.stringify(valid)],
        [14, () => JSON.stringify(mutate(r, valid))],
        [4, () => JSON.stringify({ ...valid, [r.pick(['quantity', 'price', 'stopPrice'])]: r.pick(NASTY_DECIMALS) })],
        [
          2,
          () =>
            JSON.stringify({
              ...valid,
              [r.pick(['symbol', 'side', 'type', 'timeInForce', 'clientOrderId'])]: r.chance(0.5) ? nastyString(r) : wrongType(r),
            }),
        ],
        [2, () => brokenJson(r, valid)],
        [1, () => JSON.stringify({ ...valid, pad: 'x'.repeat(70_000) })],
      ])();
      const ct = r.weighted(CONTENT_TYPES);
      if (ct !== null) headers['content-type'] = ct;
      req = { route: 'POST /api/orders', method: 'POST', url: '/api/orders', headers, payload };
    } else {
      const id = pathSegment(r, [...(open.length ? [r.pick(open)] : []), otherOrder, randomUUID()]);
      req = {
        route: 'DELETE /api/orders/:orderId',
        method: 'DELETE',
        url: `/api/orders/${id}`,
        headers: r.chance(0.9) ? { authorization: `Bearer ${user.token}` } : authHeader(r, 'trader'),
      };
      if (r.chance(0.1)) {
        req.payload = JSON.stringify(junk(r));
        req.headers['content-type'] = 'application/json';
      }
    }
    const res = await inject(req);
    record(req, res.statusCode, res.body);
    const after = await streamCount(stack);
    const delta = after - before;
    before = after;
    appended += delta;
    const s = res.statusCode;
    if (s === 201 && req.method === 'POST') open.push(res.json().order.orderId);
    const allowed = s === 201 ? [1] : s === 422 || s === 202 ? [0, 1] : [0];
    if (!allowed.includes(delta)) leaks.push(`delta ${delta}: ${describe(req, s, res.body)}`);
  }
  t.comment(`order phase: ${steps} requests, ${appended} commits appended by accepted or denied orders and cancels`);
  t.same(leaks.slice(0, 10), [], `no rejected order request appended anything (${leaks.length} did; seed ${seed})`);
  t.same(violations.slice(0, 15), [], `no contract violation (${violations.length} in all; seed ${seed})`);
});

t.test('malformed HTTP on the wire: duplicated headers, conflicting lengths, oversized headers', async (t) => {
  const r = rng(seed ^ 0xbad);
  const body = JSON.stringify(limit('0.001', '1000'));
  const cl = Buffer.byteLength(body);
  const auth = `Authorization: Bearer ${trader1.token}`;
  const cases: { name: string; raw: string }[] = [];
  const add = (name: string, raw: string) => cases.push({ name, raw });
  for (let i = 0; i < 8; i++) {
    add(
      'two Authorization headers (valid first)',
      `GET /api/me HTTP/1.1\r\nHost: x\r\n${auth}\r\nAuthorization: Bearer ${r.pick(BAD_TOKENS)}\r\nConnection: close\r\n\r\n`,
    );
    add(
      'two Authorization headers (bad first)',
      `GET /api/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${r.pick(BAD_TOKENS)}\r\n${auth}\r\nConnection: close\r\n\r\n`,
    );
    add(
      'two Content-Type headers',
      `POST /api/orders HTTP/1.1\r\nHost: x\r\n${auth}\r\nContent-Type: text/plain\r\nContent-Type: application/json\r\nContent-Length: ${cl}\r\nConnection: close\r\n\r\n${body}`,
    );
    add(
      'two Idempotency-Key headers',
      `POST /api/orders HTTP/1.1\r\nHost: x\r\n${auth}\r\nContent-Type: application/json\r\nIdempotency-Key: a${i}\r\nIdempotency-Key: b${i}\r\nContent-Length: ${cl}\r\nConnection: close\r\n\r\n${body}`,
    );
    add(
      'two x-admin-token headers',
      `GET /api/admin/trading HTTP/1.1\r\nHost: x\r\nX-Admin-Token: ${adminToken}\r\nX-Admin-Token: ${adminToken}\r\nConnection: close\r\n\r\n`,
    );
    add('two Host headers', `GET /api/me HTTP/1.1\r\nHost: a\r\nHost: b\r\n${auth}\r\nConnection: close\r\n\r\n`);
    add('absolute-form request target', `GET http://evil.example/api/me HTTP/1.1\r\nHost: x\r\n${auth}\r\nConnection: close\r\n\r\n`);
    add('HTTP/1.0 without Host', `GET /api/me HTTP/1.0\r\n${auth}\r\n\r\n`);
    add(
      'invalid UTF-8 in a JSON body',
      `POST /api/orders HTTP/1.1\r\nHost: x\r\n${auth}\r\nContent-Type: application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n{"symbol":"\xff\xfe"}`,
    );
  }
  // The parser refuses these before Fastify sees them (Node's clientError path).
  const parserLevel: { name: string; raw: string }[] = [
    {
      name: 'two different Content-Length headers',
      raw: `POST /api/orders HTTP/1.1\r\nHost: x\r\n${auth}\r\nContent-Type: application/json\r\nContent-Length: ${cl}\r\nContent-Length: ${cl + 5}\r\nConnection: close\r\n\r\n${body}`,
    },
    {
      name: 'Content-Length with Transfer-Encoding',
      raw: `POST /api/orders HTTP/1.1\r\nHost: x\r\n${auth}\r\nContent-Type: application/json\r\nContent-Length: ${cl}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body}`,
    },
    {
      name: 'a 20 KiB header',
      raw: `GET /api/me HTTP/1.1\r\nHost: x\r\n${auth}\r\nX-Junk: ${'j'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    },
    {
      name: 'a 20 KiB query string',
      raw: `GET /api/orders?symbol=${'A'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n${auth}\r\nConnection: close\r\n\r\n`,
    },
    { name: 'a NUL in a header value', raw: `GET /api/me HTTP/1.1\r\nHost: x\r\n${auth}\r\nX-Junk: a\u0000b\r\nConnection: close\r\n\r\n` },
    { name: 'a broken request line', raw: 'GET /api/me HTTP/9.9 extra\r\nHost: x\r\nConnection: close\r\n\r\n' },
    {
      name: 'negative Content-Length',
      raw: `POST /api/orders HTTP/1.1\r\nHost: x\r\n${auth}\r\nContent-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n${body}`,
    },
  ];
  const routed: { name: string; raw: string }[] = [
    {
      name: 'a broken percent-encoding in a path parameter',
      raw: `GET /api/orders/%zz HTTP/1.1\r\nHost: x\r\n${auth}\r\nConnection: close\r\n\r\n`,
    },
    {
      name: 'an order id over 100 characters',
      raw: `GET /api/orders/${'a'.repeat(150)} HTTP/1.1\r\nHost: x\r\n${auth}\r\nConnection: close\r\n\r\n`,
    },
  ];
  const before = await streamCount(stack);
  const parserFailures: string[] = [];
  // Fastify's default clientError answers (Node's HTTP parser refused the request).
  const clientErrorBody =
    /^\{"error":"[^"]+","message":"(Client Error|Exceeded maximum allowed HTTP header size|Client Timeout)","statusCode":\d+\}$/;
  for (const c of [...cases, ...parserLevel, ...routed]) {
    const res = await rawRequest(stack.url, Buffer.from(c.raw, 'latin1'));
    const req: Req = { route: `raw: ${c.name}`, method: c.raw.split(' ')[0] ?? 'GET', url: c.raw.split(' ')[1] ?? '/', headers: {} };
    if (res.empty) {
      parserFailures.push(`${c.name}: connection closed without an answer`);
      continue;
    }
    if (res.status >= 400 && envelopeProblem(res.status, res.body) && clientErrorBody.test(res.body)) {
      sent++;
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      byRoute.set(req.route, (byRoute.get(req.route) ?? 0) + 1);
      parserFailures.push(`${c.name}: ${res.status} ${res.body.slice(0, 100)}`);
      continue;
    }
    record(req, res.status, res.body);
  }
  t.comment(
    `raw HTTP: ${cases.length + parserLevel.length + routed.length} requests; refused by the parser without the envelope: ${[...new Set(parserFailures.map((f) => f.split(':')[0]))].join('; ')}`,
  );
  t.equal(await streamCount(stack), before, 'none of the malformed order requests appended anything');
  t.same(violations.slice(0, 15), [], `no contract violation (${violations.length} in all)`);
  t.same(parserFailures, [], 'requests the HTTP parser refuses still get the error envelope');
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the gateway is still up');
});

// ---------------------------------------------------------------------------------------------
const ServerCheck = Compile(ServerMessage);
const CHANNELS = [
  'orders',
  'trades',
  'positions',
  'balances',
  'ticker:BTCUSDT',
  'candles:BTCUSDT:1m',
  'candles:ETHUSDT:1h',
  'ticker:SOLUSDT',
];
const BAD_CHANNELS = [
  'ticker:DOGEUSDT',
  'ticker:btcusdt',
  'candles:BTCUSDT:7m',
  'orders:other',
  'ticker:',
  'ticker:*',
  'ticker:>',
  'candles:BTCUSDT',
  'ORDERS',
  'orders ',
  'admin',
  '',
  'balances\u0000',
];

interface Frame {
  data: string | Buffer;
  binary?: boolean;
  oversize?: boolean;
}
const OVERSIZE = (): Frame => ({
  data: JSON.stringify({ type: 'subscribe', channels: ['orders'], pad: 'p'.repeat(70_000) }),
  oversize: true,
});

function wsMessage(r: Rng): { data: string | Buffer; binary?: boolean; oversize?: boolean } {
  const channels = () =>
    r.weighted<() => unknown>([
      [6, () => Array.from({ length: r.range(1, 6) }, () => r.pick(CHANNELS))],
      [2, () => Array.from({ length: r.range(1, 4) }, () => (r.chance(0.5) ? r.pick(BAD_CHANNELS) : r.pick(CHANNELS)))],
      [1, () => []],
      [1, () => Array.from({ length: r.pick([21, 100, 2000]) }, () => r.pick(CHANNELS))],
      [1, () => wrongType(r)],
      [1, () => r.pick(CHANNELS)],
      [1, () => junk(r)],
    ])();
  const message = r.weighted<() => unknown>([
    [5, () => ({ type: 'subscribe', channels: channels() })],
    [3, () => ({ type: 'unsubscribe', channels: channels() })],
    [3, () => ({ type: 'ping' })],
    [1, () => ({ type: 'auth', token: r.pick([trader1.token, ...WS_BAD_TOKENS]) })],
    [1, () => ({ type: 'auth', token: wrongType(r) })],
    [2, () => mutate(r, { type: r.pick(['subscribe', 'unsubscribe', 'ping', 'auth']), channels: ['orders'] })],
    [2, () => ({ type: nastyString(r).slice(0, 100), channels: ['orders'] })],
    [2, () => junk(r)],
    [1, () => ({ type: 'subscribe', channels: ['orders'], extra: junk(r) })],
  ])();
  const frame = r.weighted<() => { data: string | Buffer; binary?: boolean; oversize?: boolean }>([
    [20, () => ({ data: JSON.stringify(message) ?? 'null' })],
    [2, () => ({ data: brokenJson(r, { type: 'subscribe', channels: ['orders'] }).slice(0, 60_000) })],
    [1, () => ({ data: Buffer.from(JSON.stringify(message) ?? ''), binary: true })],
    [1, () => ({ data: randomBytes(r.range(1, 300)), binary: true })],
    [1, () => ({ data: JSON.stringify({ type: 'subscribe', channels: ['orders'], pad: 'p'.repeat(r.range(30_000, 60_000)) }) })],
  ])();
  // Frames over the 64 KiB limit close the socket (1009): only sent on purpose (OVERSIZE).
  return Buffer.byteLength(frame.data) > 60_000 ? { data: JSON.stringify({ type: 'ping', pad: 'over the limit' }) } : frame;
}

t.test('WebSocket: every message type, hostile frames; the gateway survives and a fresh socket works', async (t) => {
  // A fresh WebSocket ticket: they live 60 s.
  const wsTicket = (await api1({ method: 'POST', url: '/api/auth/ws-ticket' })).json().ticket as string;
  let wsSent = 0;
  const unauthClosed: string[] = [];
  const badServerMessages: string[] = [];
  const unexpectedClose: string[] = [];
  const sockets = 24;
  const perSocket = 70;
  await pool(
    4,
    Array.from({ length: sockets }, (_, i) => i),
    async (i) => {
      // One PRNG per socket: the sockets interleave, their messages stay reproducible.
      const r = rng((seed ^ 0x3c3c) + i);
      // Pre-auth: a garbage first message must close with 4401; then a proper session.
      const rude = await liveClient(stack);
      const first = r.chance(0.1) ? OVERSIZE() : wsMessage(r);
      const firstIsAuth =
        typeof first.data === 'string' &&
        /"type":"auth","token":"[^"]+"/.test(first.data) &&
        first.data.includes(trader1.token) &&
        !first.binary;
      rude.ws.send(first.data, { binary: first.binary ?? false });
      wsSent++;
      if (!firstIsAuth) {
        // The reason tells the first-message rule apart from the 10 s auth timeout, which would
        // also close it; the wait is long enough to see either.
        const what = `the unauthenticated socket to close after ${String(first.data).slice(0, 80)}`;
        await eventually(() => rude.closed(), 15_000, what);
        const closed = rude.closed();
        const byRule = closed?.code === 4401 && closed.reason !== 'authenticate first';
        if (!byRule && !(first.oversize && (closed?.code === 1009 || closed?.code === 1006)))
          unauthClosed.push(`${closed?.code} ${closed?.reason} after ${String(first.data).slice(0, 80)}`);
      }
      rude.close();

      const token = i % 3 === 0 ? wsTicket : trader1.token;
      const live = await liveClient(stack, i % 2 === 0 ? token : undefined);
      if (i % 2 === 1) live.send({ type: 'auth', token });
      await live.next((m) => m.type === 'ready', 'ready');
      let closedByOversize = false;
      const endsOversize = r.chance(0.25);
      for (let k = 0; k < perSocket && !closedByOversize; k++) {
        if (live.closed()) break;
        const m = k === perSocket - 1 && endsOversize ? OVERSIZE() : wsMessage(r);
        live.ws.send(m.data, { binary: m.binary ?? false });
        wsSent++;
        if (m.oversize) {
          await eventually(() => live.closed(), 10_000, 'an oversized frame to close the socket');
          // 1009 (message too big), or 1006 when the server drops the socket before its close frame lands.
          if (![1009, 1006].includes(live.closed()?.code ?? 0)) unexpectedClose.push(`oversize frame closed with ${live.closed()?.code}`);
          closedByOversize = true;
        }
      }
      if (!closedByOversize) {
        live.send({ type: 'ping' });
        wsSent++;
        await eventually(() => live.messages.filter((m) => m.type === 'pong').length > 0 || live.closed(), 10_000, 'a pong');
        if (live.closed()) unexpectedClose.push(`socket ${i} closed: ${JSON.stringify(live.closed())}`);
      }
      for (const m of live.messages) if (!ServerCheck.Check(m)) badServerMessages.push(JSON.stringify(m).slice(0, 200));
      live.close();
    },
  );
  t.comment(`WebSocket fuzz: ${wsSent} frames over ${sockets * 2} sockets`);
  t.ok(wsSent >= 1500, `${wsSent} WebSocket frames sent`);
  t.same(unauthClosed, [], 'every bad first message closes with 4401');
  t.same(unexpectedClose, [], 'hostile messages never close an authenticated socket (except oversize → 1009)');
  t.same(badServerMessages.slice(0, 10), [], 'every server message has the ServerMessage shape');

  // The gateway is alive and a fresh socket authenticates and gets snapshots.
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  const fresh = await liveClient(stack, trader1.token);
  await fresh.next((m) => m.type === 'ready', 'ready on a fresh socket');
  fresh.send({ type: 'subscribe', channels: ['orders', 'balances', 'ticker:BTCUSDT'] });
  for (const channel of ['orders', 'balances', 'ticker:BTCUSDT']) {
    const snap = await fresh.next((m) => m.type === 'snapshot' && m.channel === channel, `${channel} snapshot`);
    t.ok(snap, `fresh socket: ${channel} snapshot`);
  }
  fresh.close();
});

// ---------------------------------------------------------------------------------------------
// Each bug the fuzzer can run into, pinned down once with a fixed input.
t.test('fixed bugs, reproduced with fixed inputs', async (t) => {
  const audit = as(app, auditor);
  const api = api1;
  const leap = await audit({ method: 'GET', url: '/api/audit/events?since=2016-12-31T23:59:60Z' });
  t.equal(leap.statusCode, 400, `since=<leap second> is a malformed time (got ${leap.statusCode} ${leap.body.slice(0, 80)})`);
  const past = await audit({ method: 'GET', url: `/api/audit/positions?user=${trader1.userId}&asOf=2026-13-45T99:99:99Z` });
  t.equal(past.statusCode, 400, `asOf=2026-13-45T99:99:99Z is malformed (got ${past.statusCode} ${past.body.slice(0, 80)})`);
  const long = await api({ method: 'GET', url: `/api/orders/${'a'.repeat(101)}` });
  t.equal(
    envelopeProblem(long.statusCode, long.body),
    null,
    `an over-long order id answers in the envelope (got ${long.statusCode} ${long.body.slice(0, 80)})`,
  );
  const badUrl = await api({ method: 'GET', url: '/api/orders/%zz' });
  t.equal(
    envelopeProblem(badUrl.statusCode, badUrl.body),
    null,
    `a broken percent-encoding answers in the envelope (got ${badUrl.body.slice(0, 80)})`,
  );
  const plain = await api({ method: 'GET', url: '/api/ws' });
  t.equal(
    envelopeProblem(plain.statusCode, plain.body),
    null,
    `GET /api/ws without an upgrade answers in the envelope (got ${plain.statusCode} ${JSON.stringify(plain.body)})`,
  );

  const nul = await app.inject({ method: 'GET', url: '/docs/static/index.html%00' });
  t.ok(nul.statusCode < 500, `a NUL byte in a /docs path is a client error (got ${nul.statusCode} ${nul.body.slice(0, 80)})`);

  // One user's venue keys changed by several requests at once (two browser tabs, a retrying script).
  const keyApi = as(app, trader2);
  const keyEvents = async () =>
    (await stack.store.readSubject(stack.store.subjects.account(trader2.userId)))
      .flatMap((c) => c.events)
      .filter((e) => e.type === 'VenueKeysStored');
  const storedBefore = (await keyEvents()).length;
  const puts = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      keyApi({
        method: 'PUT',
        url: '/api/me/venue-keys',
        payload: { venue: 'paper', apiKey: `parallelKey${i}abc`, apiSecret: `parallelSecret${i}abc` },
      }),
    ),
  );
  const putStatuses = puts.map((p) => p.statusCode);
  t.ok(
    putStatuses.every((s) => s < 500),
    `parallel PUT /api/me/venue-keys for one user never 5xx (got ${putStatuses.join(',')})`,
  );
  const stored = await keyEvents();
  const fingerprintNow = (await keyApi({ method: 'GET', url: '/api/me' })).json().venue.keyFingerprint;
  t.equal(
    (stored.at(-1)?.data as { keyFingerprint?: string } | undefined)?.keyFingerprint,
    fingerprintNow,
    'the stored keys are the ones the last VenueKeysStored event names',
  );
  t.equal(stored.length - storedBefore, putStatuses.filter((s) => s === 204).length, 'one VenueKeysStored event per 204');

  // One auditor's dashboard reading in parallel.
  const reads = await Promise.all(
    Array.from({ length: 16 }, () => as(app, auditors[1] as Session)({ method: 'GET', url: '/api/audit/users' })),
  );
  const readStatuses = reads.map((p) => p.statusCode);
  t.ok(
    readStatuses.every((s) => s < 500),
    `16 parallel audit reads by one auditor never 5xx (got ${readStatuses.join(',')})`,
  );

  const live = await liveClient(stack, trader1.token);
  await live.next((m) => m.type === 'ready');
  live.send({ type: 'subscribe', channels: ['ticker:ETHUSDT', 'ticker:ETHUSDT', 'orders'] });
  await live.next((m) => m.type === 'snapshot' && m.channel === 'orders', 'orders snapshot');
  const ticker = await eventually(() => live.messages.find((m) => m.channel === 'ticker:ETHUSDT'), 3000, 'ticker').catch(() => undefined);
  t.ok(ticker, 'a channel named twice in one subscribe still gets its snapshot and updates');
  live.close();
});

t.test('summary', async (t) => {
  const elapsed = ((Date.now() - started) / 1000).toFixed(1);
  const dist = Object.fromEntries([...byStatus.entries()].sort((a, b) => a[0] - b[0]));
  t.comment(`seed ${seed}: ${sent} HTTP requests in ${elapsed} s; status codes ${JSON.stringify(dist)}`);
  t.comment(`per route: ${JSON.stringify(Object.fromEntries([...byRoute.entries()].sort()))}`);
  t.ok(sent >= 10_000, `at least 10,000 requests (${sent})`);
  t.same(known.invalidSince500.slice(0, 3), [], `no 5xx for an unparseable since (${known.invalidSince500.length})`);
  t.same(known.venueKeys500.slice(0, 3), [], `no 500 from concurrent venue-key changes (${known.venueKeys500.length})`);
  t.same(known.auditContention503.slice(0, 3), [], `no 503 from parallel reads of one auditor (${known.auditContention503.length})`);
  t.same(known.docsNul500.slice(0, 3), [], `no 500 for a NUL byte in a /docs path (${known.docsNul500.length})`);
  t.same(
    known.frameworkNoEnvelope.slice(0, 3),
    [],
    `bad URLs and long params answer in the envelope (${known.frameworkNoEnvelope.length} did not)`,
  );
  t.same(
    known.wsRouteNoEnvelope.slice(0, 3),
    [],
    `plain HTTP to /api/ws answers in the envelope (${known.wsRouteNoEnvelope.length} did not)`,
  );
});
