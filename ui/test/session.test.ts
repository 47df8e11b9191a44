import t from 'tap';
import { checkCredentials, credentialErrorsFor, safeRedirect } from '../src/lib/auth-form.ts';
import {
  clearedCookieOptions,
  DEFAULT_SESSION_SECONDS,
  isPublicPath,
  secondsUntilExpiry,
  sessionCookieOptions,
  themeOf,
} from '../src/lib/server/session.ts';

const jwt = (payload: object) => `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

t.test('the session cookie is httpOnly, Lax, secure exactly over https, and lives as long as the token', async (t) => {
  const now = Date.UTC(2026, 10, 24, 12);
  const token = jwt({ sub: 'u', exp: now / 1000 + 3600 });
  t.same(sessionCookieOptions(new URL('http://localhost:3000/login'), token, now), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: false,
    maxAge: 3600,
  });
  t.equal(sessionCookieOptions(new URL('https://blotter.example/login'), token, now).secure, true);
  t.equal(sessionCookieOptions(new URL('http://x/'), 'not-a-jwt', now).maxAge, DEFAULT_SESSION_SECONDS);
  t.equal(
    sessionCookieOptions(new URL('http://x/'), jwt({ exp: now / 1000 - 5 }), now).maxAge,
    DEFAULT_SESSION_SECONDS,
    'expired: default',
  );
  t.same(clearedCookieOptions(new URL('https://x/')), { path: '/', httpOnly: true, sameSite: 'lax', secure: true });
});

t.test('token expiry is read without trusting anything else in it', async (t) => {
  t.equal(secondsUntilExpiry(jwt({ exp: 1000 }), 400_000), 600);
  t.equal(secondsUntilExpiry(jwt({ exp: '1000' }), 0), null);
  t.equal(secondsUntilExpiry('a.%%%.c', 0), null);
  t.equal(secondsUntilExpiry('', 0), null);
});

t.test('public and protected paths', async (t) => {
  for (const p of ['/login', '/register', '/logout', '/api/orders', '/session/ws-ticket', '/schemas', '/schemas/OrderPlaced'])
    t.equal(isPublicPath(p), true, p);
  for (const p of ['/', '/trade/BTCUSDT', '/orders/x', '/settings', '/loginx', '/api', '/audit', '/audit/verify', '/schemasx'])
    t.equal(isPublicPath(p), false, p);
});

t.test('redirects after login stay on this site', async (t) => {
  t.equal(safeRedirect('/orders/abc?x=1'), '/orders/abc?x=1');
  t.equal(safeRedirect('//evil.example'), '/trade/BTCUSDT');
  t.equal(safeRedirect('https://evil.example'), '/trade/BTCUSDT');
  t.equal(safeRedirect('/\\evil.example'), '/trade/BTCUSDT');
  t.equal(safeRedirect('/login'), '/trade/BTCUSDT', 'no loop back to login');
  t.equal(safeRedirect(null), '/trade/BTCUSDT');
});

t.test('credential rules and where gateway errors go', async (t) => {
  t.same(checkCredentials('ada@example.com', 'correct horse'), {});
  t.match(checkCredentials('ada', 'x').email, /valid email/);
  t.match(checkCredentials('', '').email, /Enter your email/);
  t.match(checkCredentials('ada@example.com', '1234567').password, /at least 8/);
  t.match(checkCredentials('ada@example.com', '').password, /Enter a password/);
  t.same(credentialErrorsFor('EMAIL_TAKEN', 'That email is already registered'), { email: 'That email is already registered' });
  t.same(credentialErrorsFor('INVALID_CREDENTIALS', 'Wrong email or password'), { form: 'Wrong email or password' });
  t.match(credentialErrorsFor('VALIDATION_FAILED', 'bad', [{ path: '/password', message: 'short' }]).password, /at least 8/);
  t.same(credentialErrorsFor('SERVICE_UNAVAILABLE', 'The trading gateway is unreachable'), { form: 'The trading gateway is unreachable' });
});

t.test('theme cookie: only light or dark', async (t) => {
  t.equal(themeOf('light'), 'light');
  t.equal(themeOf(undefined), 'dark');
  t.equal(themeOf('<script>'), 'dark');
});
