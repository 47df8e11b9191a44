// The UI server's gateway client and the page's ticket fetch, against fake fetch functions and a
// port where nothing listens.
import { createServer } from 'node:net';
import { AuthResponse, Me } from '@blotter/schemas';
import t from 'tap';
import Type from 'typebox';
import { fetchTicket } from '../src/lib/live/ticket.ts';
import { readConfig } from '../src/lib/server/config.ts';
import { call, send, wsTicket } from '../src/lib/server/gateway.ts';
import { pageTicket } from '../src/lib/server/ws-ticket.ts';
import { USER } from './fixtures.ts';

const cfg = readConfig({ GATEWAY_URL: 'http://gw.test:3001' });

type Seen = { url: string; init: RequestInit | undefined };
function fakeFetch(status: number, body: unknown, seen: Seen[] = []): typeof fetch {
  return async (input, init) => {
    seen.push({ url: String(input), init });
    return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

const ME = { id: USER, email: 'ada@example.com', roles: ['trader'], venue: { kind: 'paper', keyFingerprint: null } };

t.test('calls carry the bearer token and JSON body', async (t) => {
  const seen: Seen[] = [];
  const res = await call(
    cfg,
    { method: 'POST', path: '/api/auth/ws-ticket', token: 'tok', body: { a: 1 } },
    Type.Any(),
    fakeFetch(200, {}, seen),
  );
  t.equal(res.ok, true);
  t.equal(seen[0]?.url, 'http://gw.test:3001/api/auth/ws-ticket');
  const headers = new Headers(seen[0]?.init?.headers);
  t.equal(headers.get('authorization'), 'Bearer tok');
  t.equal(headers.get('content-type'), 'application/json');
  t.equal(seen[0]?.init?.body, '{"a":1}');
});

t.test('answers are checked against the contract; unknown extra fields are dropped, not fatal', async (t) => {
  const good = await call(cfg, { path: '/api/me', token: 't' }, Me, fakeFetch(200, { ...ME, extra: 1 }));
  t.same(good.ok && good.value, ME);
  const bad = await call(cfg, { path: '/api/me', token: 't' }, Me, fakeFetch(200, { ...ME, roles: 'trader' }));
  t.same(bad.ok ? null : bad.error.code, 'BAD_GATEWAY_RESPONSE');
});

t.test('error envelopes come back as ApiErrors', async (t) => {
  const denied = await call(
    cfg,
    { method: 'POST', path: '/api/auth/login' },
    AuthResponse,
    fakeFetch(401, { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password' } }),
  );
  t.same(denied.ok ? null : [denied.error.status, denied.error.code, denied.error.message], [
    401,
    'INVALID_CREDENTIALS',
    'Wrong email or password',
  ]);
});

t.test('a gateway that does not listen is SERVICE_UNAVAILABLE, quickly', async (t) => {
  const port = await new Promise<number>((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
  const local = readConfig({ GATEWAY_URL: `http://127.0.0.1:${port}` });
  const started = Date.now();
  t.equal(await send(local, { path: '/api/me' }), null);
  const res = await wsTicket(local, 'tok');
  t.same(res.ok ? null : [res.error.status, res.error.code], [503, 'SERVICE_UNAVAILABLE']);
  t.ok(Date.now() - started < 5000, 'connection refused is not a timeout');
});

t.test('the page ticket adds the socket URL to what the gateway issued', async (t) => {
  t.same(pageTicket({ ticket: 'abc', expiresAt: '2026-11-24T12:00:30.000Z' }, cfg.wsUrl), {
    ticket: 'abc',
    expiresAt: '2026-11-24T12:00:30.000Z',
    url: 'ws://gw.test:3001/api/ws',
  });
});

t.test('the page fetches a ticket: ok, expired session, failures', async (t) => {
  const seen: Seen[] = [];
  const ok = await fetchTicket(fakeFetch(200, { ticket: 't1', expiresAt: 'x', url: 'ws://gw/api/ws' }, seen));
  t.same(ok, { ok: true, ticket: { ticket: 't1', url: 'ws://gw/api/ws' } });
  t.equal(seen[0]?.url, '/session/ws-ticket');
  t.equal(seen[0]?.init?.method, 'POST');
  t.same(await fetchTicket(fakeFetch(401, { error: { code: 'UNAUTHENTICATED', message: 'x' } })), {
    ok: false,
    unauthenticated: true,
    message: 'session expired',
  });
  const down = await fetchTicket(fakeFetch(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'x' } }));
  t.same(down.ok ? null : down.unauthenticated, false);
  const bad = await fetchTicket(fakeFetch(200, { ticket: 't1', url: 'http://not-a-socket' }));
  t.same(bad.ok ? null : bad.message, 'malformed ticket answer');
  const thrown = await fetchTicket(async () => {
    throw new TypeError('Failed to fetch');
  });
  t.same(thrown.ok ? null : thrown.unauthenticated, false);
});
