// SIGNED endpoint security over raw HTTP, so each failure mode can be provoked precisely.
import { createHmac } from 'node:crypto';
import t from 'tap';
import { ADMIN_TOKEN, withSim } from './fixtures/sim.ts';

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('hex');

t.test('signed requests: key, signature and timestamp checks', async (t) => {
  const sim = await withSim(t);
  const { apiKey, apiSecret } = await sim.admin.createAccount();
  const get = async (query: string, key: string | null = apiKey) => {
    const res = await fetch(`${sim.url}/api/v3/account?${query}`, { headers: key === null ? {} : { 'X-MBX-APIKEY': key } });
    return { status: res.status, body: await res.json() };
  };
  const q = (ts = Date.now(), extra = '') => `recvWindow=5000&timestamp=${ts}${extra}`;

  const ok = q();
  t.match(await get(`${ok}&signature=${sign(apiSecret, ok)}`), { status: 200, body: { accountType: 'SPOT' } });

  const tampered = q();
  t.same(await get(`${tampered.replace('recvWindow=5000', 'recvWindow=6000')}&signature=${sign(apiSecret, tampered)}`), {
    status: 400,
    body: { code: -1022, msg: 'Signature for this request is not valid.' },
  });
  const old = q(Date.now() - 6000);
  t.same(await get(`${old}&signature=${sign(apiSecret, old)}`), {
    status: 400,
    body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
  });
  const ahead = q(Date.now() + 5000);
  t.match(await get(`${ahead}&signature=${sign(apiSecret, ahead)}`), { status: 400, body: { code: -1021 } });
  const wide = `recvWindow=60001&timestamp=${Date.now()}`;
  t.match(await get(`${wide}&signature=${sign(apiSecret, wide)}`), { status: 400, body: { code: -1131 } });
  t.match(await get(q()), { status: 400, body: { code: -1102, msg: /'signature'/ } });
  t.match(await get(`recvWindow=5000&signature=${sign(apiSecret, 'recvWindow=5000')}`), {
    status: 400,
    body: { code: -1102, msg: /'timestamp'/ },
  });
  t.match(await get(`${ok}&timestamp=1&signature=x`), { status: 400, body: { code: -1101 } });

  t.same(await get(`${ok}&signature=${sign(apiSecret, ok)}`, null), { status: 401, body: { code: -2014, msg: 'API-key format invalid.' } });
  t.same(await get(`${ok}&signature=${sign(apiSecret, ok)}`, 'short'), {
    status: 401,
    body: { code: -2014, msg: 'API-key format invalid.' },
  });
  t.same(await get(`${ok}&signature=${sign(apiSecret, ok)}`, 'A'.repeat(64)), {
    status: 401,
    body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
  });
});

t.test('POST signs the form body, or query + body concatenated', async (t) => {
  const sim = await withSim(t);
  const { apiKey, apiSecret } = await sim.admin.createAccount({ USDT: '1000' });
  const post = (query: string, body: string) =>
    fetch(`${sim.url}/api/v3/order${query ? `?${query}` : ''}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': apiKey, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const order = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=30000&newOrderRespType=ACK&timestamp=${Date.now()}`;
  t.match(await post('', `${order}&signature=${sign(apiSecret, order)}`), { status: 200, body: { symbol: 'BTCUSDT', orderListId: -1 } });
  const head = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC';
  const tail = `quantity=0.001&price=30001&timestamp=${Date.now()}`;
  t.match(await post(head, `${tail}&signature=${sign(apiSecret, head + tail)}`), { status: 200, body: { status: 'NEW' } });
  t.match(await post(head, `${tail}&signature=${sign(apiSecret, `${head}&${tail}`)}`), { status: 400, body: { code: -1022 } });
});

t.test('admin endpoints need the bearer token', async (t) => {
  const sim = await withSim(t);
  const noAuth = await fetch(`${sim.url}/admin/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  t.equal(noAuth.status, 401);
  const wrong = await fetch(`${sim.url}/admin/faults`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } });
  t.equal(wrong.status, 401);
  const bad = await fetch(`${sim.url}/admin/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ balances: { USDT: '-5' } }),
  });
  t.equal(bad.status, 400);
  const created = await sim.admin.createAccount({ BTC: '0.5' });
  t.match(created.apiKey, /^[A-Za-z0-9]{64}$/);
  t.match(created.apiSecret, /^[A-Za-z0-9]{64}$/);
  t.same(
    created.balances.find((b) => b.asset === 'BTC'),
    { asset: 'BTC', free: '0.50000000', locked: '0.00000000' },
  );
  t.equal(created.balances.find((b) => b.asset === 'USDT')?.free, '0.00000000', 'explicit balances replace the USDT default');
  await t.rejects(sim.admin.pinPrice('BTCUSDT', '60000.005'), /failed with 400/);
  await t.rejects(sim.admin.pinPrice('XYZUSDT', '1.00'), /failed with 400: .*-1121/);
  await t.rejects(sim.admin.balances('nobody'), /failed with 404/);
});
