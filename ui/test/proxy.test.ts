import t from 'tap';
import { isCrossSiteWrite, proxyRequestHeaders, proxyResponseHeaders, proxyTarget } from '../src/lib/server/proxy.ts';

const GW = 'http://127.0.0.1:3001';

t.test('paths map under /api with the query kept', async (t) => {
  t.equal(proxyTarget(GW, 'orders', '?status=open&limit=50'), `${GW}/api/orders?status=open&limit=50`);
  t.equal(proxyTarget(GW, 'market/BTCUSDT/candles', '?interval=1m'), `${GW}/api/market/BTCUSDT/candles?interval=1m`);
  t.equal(proxyTarget(GW, 'orders/abc/events', ''), `${GW}/api/orders/abc/events`);
  t.equal(proxyTarget(GW, 'orders//x/', ''), `${GW}/api/orders/x`, 'empty segments collapse');
});

t.test('auth routes, the socket and escapes are refused', async (t) => {
  for (const p of [
    'auth/login',
    'auth/register',
    'auth/ws-ticket',
    'auth',
    'ws',
    '',
    '../healthz',
    'orders/../../metrics',
    'a\\b',
    'orders/./x',
  ]) {
    t.equal(proxyTarget(GW, p, ''), null, p || '(empty)');
  }
  t.equal(proxyTarget(GW, 'orders/a?b#c', ''), `${GW}/api/orders/a%3Fb%23c`, 'segments are re-encoded');
  t.equal(proxyTarget(GW, 'authors', ''), `${GW}/api/authors`, 'only the auth/ prefix is blocked');
});

t.test('request headers: an allowlist plus the bearer token; cookies never reach the gateway', async (t) => {
  const incoming = new Headers({
    cookie: 'blotter_session=secret; other=1',
    'content-type': 'application/json',
    accept: 'application/json',
    'idempotency-key': 'k-1',
    host: 'localhost:3000',
    authorization: 'Bearer forged',
    'x-forwarded-for': '1.2.3.4',
  });
  const out = proxyRequestHeaders(incoming, 'jwt-token');
  t.same(Object.fromEntries(out), {
    accept: 'application/json',
    authorization: 'Bearer jwt-token',
    'content-type': 'application/json',
    'idempotency-key': 'k-1',
  });
  t.equal(proxyRequestHeaders(incoming, null).get('authorization'), null, 'a page-supplied Authorization is not forwarded');
});

t.test('response headers: an allowlist; no Set-Cookie or hop-by-hop headers', async (t) => {
  const upstream = new Headers({
    'content-type': 'application/json; charset=utf-8',
    'set-cookie': 'x=1',
    'content-encoding': 'gzip',
    'content-length': '123',
    connection: 'keep-alive',
    'retry-after': '2',
    'x-ratelimit-remaining': '9',
    'x-request-id': 'r1',
  });
  t.same(Object.fromEntries(proxyResponseHeaders(upstream)), {
    'content-type': 'application/json; charset=utf-8',
    'retry-after': '2',
    'x-ratelimit-remaining': '9',
    'x-request-id': 'r1',
  });
});

t.test('cross-site writes are refused, same-origin ones and reads pass', async (t) => {
  const own = 'http://localhost:3000';
  t.equal(isCrossSiteWrite('POST', 'https://evil.example', null, own), true);
  t.equal(isCrossSiteWrite('DELETE', null, 'cross-site', own), true);
  t.equal(isCrossSiteWrite('POST', null, 'same-site', own), true, 'a sibling subdomain is not this app');
  t.equal(isCrossSiteWrite('POST', own, 'same-origin', own), false);
  t.equal(isCrossSiteWrite('POST', null, null, own), false, 'non-browser clients send neither header');
  t.equal(isCrossSiteWrite('GET', 'https://evil.example', 'cross-site', own), false, 'reads are not writes');
});
