// Binance's limits, lowered per instance so a test can reach them: request weight per IP (429, then
// an IP ban with 418), the unfilled order count per account (429 -1015, orders that trade do not
// count), the WebSocket API's rateLimits and retryAfter, and exchangeInfo showing the instance's
// values. Counting windows start on the interval, so each test first waits out a boundary.
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import WebSocket from 'ws';
import { binanceError, clientFor, getJson, withSim } from './fixtures/sim.ts';
import { eventually } from '@blotter/test-kit/procs';

const d = (s: string) => s as unknown as number;

/** Waits until at least `needMs` are left in the current window of `windowMs`. */
async function awayFromBoundary(windowMs: number, needMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await sleep(left + 50);
}

t.test('request weight: 429 with Retry-After over the limit, then a 418 ban for hammering on', async (t) => {
  const sim = await withSim(t, { limits: { requestWeightPerMinute: 100 } });
  await awayFromBoundary(60_000, 15_000);
  const info = await getJson(`${sim.url}/api/v3/exchangeInfo`);
  t.match(
    info.rateLimits,
    [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 100 }],
    'exchangeInfo shows this instance’s limit',
  );
  for (let i = 0; i < 4; i++) t.equal((await fetch(`${sim.url}/api/v3/exchangeInfo`)).status, 200);
  const limited = await fetch(`${sim.url}/api/v3/exchangeInfo`);
  t.equal(limited.status, 429);
  t.match(await limited.json(), { code: -1003, msg: /current limit is 100 request weight per 1 MINUTE/ });
  t.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After says when the minute ends');
  let banned: Response | undefined;
  for (let i = 0; i < 10 && !banned; i++) {
    const r = await fetch(`${sim.url}/api/v3/exchangeInfo`);
    if (r.status === 418) banned = r;
    else t.equal(r.status, 429);
  }
  t.ok(banned, 'banned after hammering on past the limit');
  const body = await banned?.json();
  t.match(body, { code: -1003, msg: /IP banned until \d{13}/ });
  t.ok(Number(banned?.headers.get('retry-after')) >= 119, 'the first ban lasts two minutes');
  t.equal((await fetch(`${sim.url}/api/v3/ping`)).status, 418, 'everything is refused while banned');
});

t.test('unfilled order count: -1015 with 429 over the limit; orders that trade do not count', async (t) => {
  const sim = await withSim(t, { limits: { ordersPer10s: 3 } });
  const account = await sim.admin.createAccount({ USDT: '100000' });
  const client = clientFor(sim, account);
  await awayFromBoundary(10_000, 6_000);
  await client.marketBuy('BTCUSDT', d('0.001'));
  await client.marketBuy('BTCUSDT', d('0.001'));
  for (const price of ['30000.00', '30001.00', '30002.00']) await client.buy('BTCUSDT', d('0.001'), d(price));
  const refused = await binanceError(client.buy('BTCUSDT', d('0.001'), d('30003.00')));
  t.same(refused, { code: -1015, msg: 'Too many new orders; current limit is 3 orders per 10 SECOND.' });
  const { apiKey, apiSecret } = account;
  const q = `timestamp=${Date.now()}`;
  const counts = await (
    await fetch(`${sim.url}/api/v3/rateLimit/order?${q}&signature=${createHmac('sha256', apiSecret).update(q).digest('hex')}`, {
      headers: { 'X-MBX-APIKEY': apiKey },
    })
  ).json();
  t.match(counts, [
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 3, count: 3 },
    { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000, count: 3 },
  ]);
  t.equal((await client.openOrders('BTCUSDT')).length, 3, 'the refused order was not booked');
});

t.test('WebSocket API: rateLimits on every answer, retryAfter when limited', async (t) => {
  const sim = await withSim(t, { limits: { requestWeightPerMinute: 30 } });
  await awayFromBoundary(60_000, 15_000);
  const ws = new WebSocket(sim.wsApiUrl);
  t.teardown(() => ws.terminate());
  const inbox: Record<string, unknown>[] = [];
  ws.on('message', (m) => inbox.push(JSON.parse(String(m))));
  await new Promise((resolve) => ws.once('open', resolve));
  const call = (id: number, method: string, params: Record<string, unknown> = {}) => {
    ws.send(JSON.stringify({ id, method, params }));
    return eventually(() => inbox.find((m) => m.id === id), 5_000, `reply ${id}`, 25);
  };
  t.match(
    await call(1, 'ping'),
    { status: 200, rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', limit: 30, count: 3 }] },
    'connecting costs 2, ping 1',
  );
  t.match(await call(2, 'exchangeInfo'), { status: 200, rateLimits: [{ count: 23 }] });
  t.notOk('rateLimits' in (await call(3, 'time', { returnRateLimits: false })), 'returnRateLimits: false hides them');
  const limited = await call(4, 'exchangeInfo');
  t.match(limited, { status: 429, error: { code: -1003, data: { serverTime: Number, retryAfter: Number } } });
});
