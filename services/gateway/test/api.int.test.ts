// The HTTP contract of the gateway against a real stack (no executor: orders stay with the gateway).
import t from 'tap';
import { as, eventually, register, startStack, streamCount, uniqueEmail } from '@blotter/test-kit';

const stack = await startStack(t);
const { app } = stack;

t.test('register, login, me; duplicate email 409; bad input 400; wrong password 401', async (t) => {
  const email = uniqueEmail();
  const reg = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password: 'correct horse battery' } });
  t.equal(reg.statusCode, 201);
  t.match(reg.json(), { token: String, user: { email, roles: ['trader'] } });

  const dup = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: email.toUpperCase(), password: 'another password' },
  });
  t.equal(dup.statusCode, 409);
  t.equal(dup.json().error.code, 'EMAIL_TAKEN');

  for (const payload of [
    { email: 'not-an-email', password: 'long enough' },
    { email: uniqueEmail(), password: 'short' },
    { email: uniqueEmail() },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload });
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.equal(res.json().error.code, 'VALIDATION_FAILED');
  }

  const bad = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong password!' } });
  t.equal(bad.statusCode, 401);
  t.equal(bad.json().error.code, 'INVALID_CREDENTIALS');
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'correct horse battery' } });
  t.equal(login.statusCode, 200);

  const me = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${login.json().token}` } });
  t.match(me.json(), { email, roles: ['trader'], venue: { kind: 'paper', keyFingerprint: /^[0-9a-f]{16}$/ } });
});

t.test('paper accounts start with the simulator balance, projected from AccountOpened', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  const balances = await eventually(async () => {
    const res = (await api({ method: 'GET', url: '/api/balances' })).json();
    return res.balances.length > 0 ? res : undefined;
  });
  t.same(balances.balances, [{ asset: 'USDT', free: '10000', locked: '0' }]);
  t.ok(balances.version > 0);
});

t.test('every other route needs a valid token', async (t) => {
  for (const url of ['/api/me', '/api/orders', '/api/balances', '/api/positions', '/api/trades', '/api/market/symbols']) {
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 401, url);
    t.equal(res.json().error.code, 'UNAUTHENTICATED');
  }
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', roles: ['trader'], email: 'e' })).toString('base64url')}.`;
  for (const token of ['garbage', none, app.jwt.sign({ sub: 'x', email: 'e', roles: ['trader'] }, { expiresIn: -10 })]) {
    const res = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    t.equal(res.statusCode, 401);
  }
});

t.test('market data: symbols with filters, candles, ticker', async (t) => {
  const api = as(app, await register(app));
  const symbols = (await api({ method: 'GET', url: '/api/market/symbols' })).json();
  t.same(symbols.map((s: { symbol: string }) => s.symbol).sort(), ['BNBUSDT', 'BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
  t.match(
    symbols.find((s: { symbol: string }) => s.symbol === 'BTCUSDT'),
    { baseAsset: 'BTC', quoteAsset: 'USDT', tickSize: '0.01', percentPrice: { bidUp: '5', bidDown: '0.2', askUp: '5', askDown: '0.2' } },
  );
  const candles = (await api({ method: 'GET', url: '/api/market/BTCUSDT/candles?interval=1h&limit=24' })).json();
  t.equal(candles.length, 24);
  t.match(candles[0], { openTime: String, open: /^[0-9.]+$/, high: String, low: String, close: String, volume: String });
  const ticker = await eventually(async () => {
    const res = await api({ method: 'GET', url: '/api/market/BTCUSDT/ticker' });
    return res.statusCode === 200 ? res.json() : undefined;
  });
  t.match(ticker, { symbol: 'BTCUSDT', price: /^[0-9]+(\.[0-9]+)?$/ });
  t.equal((await api({ method: 'GET', url: '/api/market/DOGEUSDT/candles' })).statusCode, 404);
  t.equal((await api({ method: 'GET', url: '/api/market/BTCUSDT/candles?interval=7m' })).statusCode, 400);
});

t.test('bad orders are 400 and append nothing', async (t) => {
  const api = as(app, await register(app));
  const before = await streamCount(stack);
  const bodies = [
    { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '1e-7', price: '100' },
    { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '-1', price: '100' },
    { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: 0.01, price: '100' },
    { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: ' 1', price: '100' },
    { symbol: 'BTCUSDT', side: 'HOLD', type: 'LIMIT', quantity: '1', price: '100' },
    { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01' },
    { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', price: '100' },
    { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '100', extra: true },
    { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '100', clientOrderId: 'has spaces' },
    {},
  ];
  for (const payload of bodies) {
    const res = await api({ method: 'POST', url: '/api/orders', payload });
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.equal(res.json().error.code, 'VALIDATION_FAILED');
    t.type(res.json().error.message, 'string');
  }
  const text = await api({ method: 'POST', url: '/api/orders', payload: 'symbol=BTCUSDT', headers: { 'content-type': 'text/plain' } });
  t.equal(text.statusCode, 415);
  t.equal(await streamCount(stack), before, 'no commit for any rejected request');
});

t.test('a LIMIT order is placed, locks its reservation, and a repeat with the same clientOrderId returns it', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  // ETH at 1000 rests: far below the market (~3000), yet inside the venue's PERCENT_PRICE_BY_SIDE band.
  const payload = { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '1000', clientOrderId: 'rest-1' };
  const first = await api({ method: 'POST', url: '/api/orders', payload });
  t.equal(first.statusCode, 201);
  const { order } = first.json();
  t.match(order, { clientOrderId: 'rest-1', status: 'PENDING_NEW', quantity: '0.01', price: '1000', timeInForce: 'GTC', venue: 'paper' });
  const count = await streamCount(stack);
  const again = await api({ method: 'POST', url: '/api/orders', payload: { ...payload, quantity: '0.010' } });
  t.equal(again.statusCode, 200);
  t.equal(again.json().order.orderId, order.orderId);
  const byHeader = await api({
    method: 'POST',
    url: '/api/orders',
    payload: { ...payload, clientOrderId: undefined },
    headers: { 'idempotency-key': 'rest-1' },
  });
  t.equal(byHeader.statusCode, 200, 'Idempotency-Key means the same');
  t.equal(await streamCount(stack), count, 'repeats append nothing');
  const reused = await api({ method: 'POST', url: '/api/orders', payload: { ...payload, price: '1001' } });
  t.equal(reused.statusCode, 409);
  t.equal(reused.json().error.code, 'IDEMPOTENCY_KEY_REUSED');

  const balances = await eventually(async () => {
    const b = (await api({ method: 'GET', url: '/api/balances' })).json().balances;
    return b.find((x: { locked: string }) => x.locked !== '0');
  });
  t.same(balances, { asset: 'USDT', free: '9989.99', locked: '10.01' }, 'notional plus fee margin locked');
  const listed = (await api({ method: 'GET', url: '/api/orders?status=open' })).json();
  t.equal(listed.orders[0]?.orderId, order.orderId);
  t.ok(listed.version > 0);
  const events = (await api({ method: 'GET', url: `/api/orders/${order.orderId}/events` })).json().events;
  t.match(events, [
    {
      seq: Number,
      type: 'OrderPlaced',
      version: 2,
      at: String,
      data: { orderId: order.orderId, reserved: { asset: 'USDT', amount: '10.01' } },
    },
  ]);
});

t.test('pre-trade denials answer 422 with the code and are recorded as DENIED orders', async (t) => {
  const api = as(app, await register(app));
  const cases: [Record<string, string>, string][] = [
    [{ symbol: 'DOGEUSDT', quantity: '1', price: '1' }, 'UNKNOWN_SYMBOL'],
    [{ quantity: '0.01', price: '1000.001' }, 'FILTER_FAILURE'],
    [{ quantity: '0.00001', price: '20000' }, 'FILTER_FAILURE'],
    [{ quantity: '0.001', price: '400000' }, 'FILTER_FAILURE'],
    [{ quantity: '1', price: '60000' }, 'INSUFFICIENT_BALANCE'],
    [{ quantity: '2', price: '60000' }, 'MAX_NOTIONAL_EXCEEDED'],
  ];
  for (const [terms, code] of cases) {
    const res = await api({ method: 'POST', url: '/api/orders', payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', ...terms } });
    t.equal(res.statusCode, 422, code);
    const body = res.json();
    t.equal(body.error.code, code);
    if (terms.price === '400000') t.match(body.error.message, /^PERCENT_PRICE_BY_SIDE: price 400000 is more than 5× the market price/);
    const filter = { '1000.001': 'PRICE_FILTER', '20000': 'NOTIONAL', '400000': 'PERCENT_PRICE_BY_SIDE' }[terms.price ?? ''];
    t.equal(body.error.details.filter, code === 'FILTER_FAILURE' ? filter : undefined, `${code}: details.filter names the filter`);
    t.equal(body.error.details.order.status, 'DENIED');
    const fetched = await api({ method: 'GET', url: `/api/orders/${body.error.details.order.orderId}` });
    t.equal(fetched.json().order.status, 'DENIED', 'the denial is an order of its own');
  }
});

t.test('cancel: 202 PENDING_CANCEL, repeat is fine, another user sees 404, closed is 409', async (t) => {
  const alice = as(app, await register(app));
  const bob = as(app, await register(app));
  const { order } = (
    await alice({
      method: 'POST',
      url: '/api/orders',
      payload: { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '1000' },
    })
  ).json();
  t.equal((await bob({ method: 'GET', url: `/api/orders/${order.orderId}` })).statusCode, 404);
  t.equal((await bob({ method: 'GET', url: `/api/orders/${order.orderId}/events` })).statusCode, 404);
  const stolen = await bob({ method: 'DELETE', url: `/api/orders/${order.orderId}` });
  t.equal(stolen.statusCode, 404);
  t.equal(stolen.json().error.code, 'ORDER_NOT_FOUND');
  const canceled = await alice({ method: 'DELETE', url: `/api/orders/${order.orderId}` });
  t.equal(canceled.statusCode, 202);
  t.equal(canceled.json().order.status, 'PENDING_CANCEL');
  t.equal((await alice({ method: 'DELETE', url: `/api/orders/${order.orderId}` })).statusCode, 202);
  const denied = (
    await alice({
      method: 'POST',
      url: '/api/orders',
      payload: { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: '100', price: '1000' },
    })
  ).json();
  const closed = await alice({ method: 'DELETE', url: `/api/orders/${denied.error.details.order.orderId}` });
  t.equal(closed.statusCode, 409);
  t.equal(closed.json().error.code, 'ORDER_CLOSED');
  t.equal((await alice({ method: 'DELETE', url: '/api/orders/0192f4a8-0000-7000-8000-000000000000' })).statusCode, 404);
});

t.test('orders beyond the per-user rate get 429 with the envelope', async (t) => {
  const api = as(app, await register(app));
  const results = await Promise.all(
    Array.from({ length: stack.config.ORDER_RATE_PER_SECOND + 5 }, (_, i) =>
      api({
        method: 'POST',
        url: '/api/orders',
        payload: { symbol: 'SOLUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '50', clientOrderId: `burst-${i}` },
      }),
    ),
  );
  const limited = results.filter((r) => r.statusCode === 429);
  t.ok(limited.length >= 5, `${limited.length} requests limited`);
  t.equal(limited[0]?.json().error.code, 'RATE_LIMITED');
  t.ok(limited[0]?.headers['retry-after'], 'Retry-After is set');
});

t.test('health, readiness with projection lag, metrics, schemas, openapi', async (t) => {
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  const ready = (await app.inject({ method: 'GET', url: '/readyz' })).json();
  t.match(ready, { status: 'ready', nats: true, postgres: true, projectionLag: { 'projector-p0': Number, 'projector-p1': Number } });
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  t.match(metrics.body, /blotter_http_request_duration_seconds_bucket/);
  t.match(metrics.body, /blotter_projection_lag_messages\{consumer="projector-p0"\}/);
  t.match(metrics.body, /blotter_commands_total\{command="PlaceOrder",outcome="placed"\} [1-9]/);
  t.match(metrics.body, /blotter_commands_total\{command="PlaceOrder",outcome="denied"\} [1-9]/);
  t.match(metrics.body, /blotter_dead_letters 0/);
  const schemas = (await app.inject({ method: 'GET', url: '/api/schemas' })).json();
  t.ok(schemas.some((s: { name: string; kind: string }) => s.name === 'OrderPlaced' && s.kind === 'event'));
  const placed = (await app.inject({ method: 'GET', url: '/api/schemas/OrderPlaced' })).json();
  t.match(placed, { 'x-version': 2, properties: { baseAsset: Object }, 'x-previous-versions': [{ version: 1 }] });
  const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  t.ok(openapi.paths['/api/orders'].post, 'the OpenAPI document comes from the route schemas');
});
