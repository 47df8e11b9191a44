// Binance's REST wire behaviour over raw HTTP: parameters in the query, the form body or both (the
// query wins), any content type, `{code, msg}` on every error path, microsecond timestamps, Ed25519
// and RSA keys, and the weight and order-count headers.
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import t from 'tap';
import { withSim } from './fixtures/sim.ts';

const hmac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('hex');

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(url: string, init: RequestInit): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

t.test('parameters: query with an empty JSON body, form body, both (the query wins), duplicates refused', async (t) => {
  const sim = await withSim(t);
  const { apiKey, apiSecret } = await sim.admin.createAccount({ USDT: '1000' });
  const order = (query: string, body: string, contentType?: string) =>
    call(`${sim.url}/api/v3/order${query ? `?${query}` : ''}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': apiKey, ...(contentType ? { 'content-type': contentType } : {}) },
      body,
    });
  const base = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001';
  // What Binance's official connector sends: everything in the query, JSON content type, empty body.
  const q1 = `${base}&price=30000&timestamp=${Date.now()}`;
  t.match(await order(`${q1}&signature=${hmac(apiSecret, q1)}`, '', 'application/json'), {
    status: 200,
    body: { price: '30000.00000000' },
  });
  const q2 = `${base}&price=30001&timestamp=${Date.now()}`;
  t.match(
    await order('', `${q2}&signature=${hmac(apiSecret, q2)}`, 'text/plain'),
    { status: 200, body: { price: '30001.00000000' } },
    'any content type',
  );
  const query = `${base}&price=30002`;
  const body = `price=31000&timestamp=${Date.now()}`;
  t.match(
    await order(query, `${body}&signature=${hmac(apiSecret, query + body)}`, 'application/x-www-form-urlencoded'),
    { status: 200, body: { price: '30002.00000000' } },
    'a parameter in both: the query string one is used',
  );
  const dup = `${base}&price=30003&price=30004&timestamp=${Date.now()}`;
  t.same((await order(`${dup}&signature=${hmac(apiSecret, dup)}`, '')).body, {
    code: -1101,
    msg: 'Duplicate values for a parameter detected.',
  });
  t.match(
    await order('', '{"symbol":"BTCUSDT"}', 'application/json'),
    { status: 400, body: { code: -1102 } },
    'a JSON body carries no parameters',
  );
});

t.test('every error is {code, msg}: unknown routes, oversized and undecodable requests', async (t) => {
  const sim = await withSim(t);
  t.same(await call(`${sim.url}/api/v3/exchangie`, {}).then((r) => [r.status, r.body]), [
    404,
    { code: -1020, msg: 'This operation is not supported.' },
  ]);
  t.same(await call(`${sim.url}/nothing/here`, { method: 'POST' }).then((r) => [r.status, r.body]), [
    404,
    { code: -1020, msg: 'This operation is not supported.' },
  ]);
  const huge = await call(`${sim.url}/api/v3/order`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'x='.padEnd(2_000_000, 'y'),
  });
  t.match(huge, { status: 413, body: { code: -1101 } });
  t.match(await call(`${sim.url}/api/v3/depth?symbol=NOPE`, {}), { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
  t.match(await call(`${sim.url}/api/v3/klines?symbol=BTCUSDT&interval=7m`, {}), {
    status: 400,
    body: { code: -1120, msg: 'Invalid interval.' },
  });
});

t.test('timestamps in microseconds, recvWindow with microseconds, and the 1000 ms ahead rule', async (t) => {
  const sim = await withSim(t);
  const { apiKey, apiSecret } = await sim.admin.createAccount();
  const get = (q: string) =>
    call(`${sim.url}/api/v3/account?${q}&signature=${hmac(apiSecret, q)}`, { headers: { 'X-MBX-APIKEY': apiKey } });
  t.match(await get(`timestamp=${Date.now() * 1000}`), { status: 200, body: { accountType: 'SPOT' } }, 'microseconds');
  t.match(await get(`recvWindow=5000.125&timestamp=${Date.now()}`), { status: 200 });
  t.match(await get(`recvWindow=5000.1234&timestamp=${Date.now()}`), { status: 400, body: { code: -1100 } });
  t.match(await get(`timestamp=${Date.now() + 1500}`), {
    status: 400,
    body: { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." },
  });
  t.match(await get(`recvWindow=60001&timestamp=${Date.now()}`), { status: 400, body: { code: -1131 } });
});

t.test('Ed25519 and RSA keys sign REST requests with base64 signatures', async (t) => {
  const sim = await withSim(t);
  for (const keyType of ['ED25519', 'RSA'] as const) {
    const pair =
      keyType === 'ED25519'
        ? generateKeyPairSync('ed25519', {
            publicKeyEncoding: { type: 'spki', format: 'pem' },
            privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          })
        : generateKeyPairSync('rsa', {
            modulusLength: 2048,
            publicKeyEncoding: { type: 'spki', format: 'pem' },
            privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          });
    const created = await call(`${sim.url}/admin/accounts`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ keyType, publicKey: pair.publicKey, balances: { USDT: '500' } }),
    });
    t.match(created, { status: 201, body: { keyType, apiKey: /^[A-Za-z0-9]{64}$/ } });
    t.notOk('apiSecret' in created.body || 'privateKey' in created.body, 'no secret for a key pair the client owns');
    const apiKey = String(created.body.apiKey);
    const sig = (q: string) =>
      encodeURIComponent(sign(keyType === 'RSA' ? 'RSA-SHA256' : null, Buffer.from(q), pair.privateKey).toString('base64'));
    const q = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=30000&timestamp=${Date.now()}`;
    const ok = await call(`${sim.url}/api/v3/order?${q}&signature=${sig(q)}`, { method: 'POST', headers: { 'X-MBX-APIKEY': apiKey } });
    t.match(ok, { status: 200, body: { status: 'NEW' } }, `${keyType} order`);
    const bad = await call(`${sim.url}/api/v3/order?${q}&signature=${hmac('x', q)}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': apiKey },
    });
    t.match(bad, { status: 400, body: { code: -1022 } }, `${keyType}: an HMAC signature does not pass`);
  }
  const generated = await sim.admin.createEd25519Account({ USDT: '1' });
  t.match(generated.privateKey, /BEGIN PRIVATE KEY/, 'without a public key the simulator generates the pair');
});

t.test('weight and order-count headers', async (t) => {
  const sim = await withSim(t);
  const { apiKey, apiSecret } = await sim.admin.createAccount({ USDT: '100000' });
  const info = await call(`${sim.url}/api/v3/exchangeInfo`, {});
  const w1 = Number(info.headers.get('x-mbx-used-weight-1m'));
  t.ok(w1 >= 20, `exchangeInfo weighs 20 (used ${w1})`);
  const depth = await call(`${sim.url}/api/v3/depth?symbol=BTCUSDT&limit=1000`, {});
  t.equal(Number(depth.headers.get('x-mbx-used-weight-1m')), w1 + 50, 'depth with limit 1000 weighs 50');
  const err = await call(`${sim.url}/api/v3/avgPrice?symbol=NOPE`, {});
  t.equal(Number(err.headers.get('x-mbx-used-weight-1m')), w1 + 52, 'errors carry the header too');
  const post = (q: string) =>
    call(`${sim.url}/api/v3/order?${q}&signature=${hmac(apiSecret, q)}`, { method: 'POST', headers: { 'X-MBX-APIKEY': apiKey } });
  const resting = await post(`symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=30000&timestamp=${Date.now()}`);
  t.same([resting.headers.get('x-mbx-order-count-10s'), resting.headers.get('x-mbx-order-count-1d')], ['1', '1']);
  const filled = await post(`symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&timestamp=${Date.now()}`);
  t.equal(filled.body.status, 'FILLED');
  t.same(
    [filled.headers.get('x-mbx-order-count-10s'), filled.headers.get('x-mbx-order-count-1d')],
    ['1', '1'],
    'an order that trades does not add to the unfilled order count',
  );
});
