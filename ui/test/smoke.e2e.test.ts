// The built UI in a real browser with no gateway behind it: the login page renders, its controls
// are found the way a screen reader finds them, validation works client-side (so the page's
// scripts ran under the CSP), and a gateway outage is reported, not crashed on.
import t from 'tap';
import { freePort, uiServer } from '@blotter/test-kit';
import { ensureBuild, ensureChromium, launchBrowser, screenshotPath } from './support/browser.ts';

ensureChromium();
ensureBuild();
const deadPort = await freePort();
const ui = await uiServer(`http://127.0.0.1:${deadPort}`);
t.teardown(() => ui.proc.stop('SIGTERM', 5_000));
ui.proc.start();
await ui.proc.waitReady(60_000);
const browser = await launchBrowser();
t.teardown(() => browser.close());

t.test('login page: labelled fields, button, security headers, screenshots', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });

  const res = await page.goto(`${ui.url}/login`);
  t.equal(res?.status(), 200);
  const headers = res?.headers() ?? {};
  t.equal(headers['x-frame-options'], 'DENY');
  t.equal(headers['x-content-type-options'], 'nosniff');
  t.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  t.match(headers['content-security-policy'], new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${deadPort}`));
  t.match(headers['content-security-policy'], /script-src 'self' 'nonce-/);

  const email = page.getByRole('textbox', { name: 'Email' });
  const password = page.getByLabel('Password');
  const submit = page.getByRole('button', { name: 'Log in' });
  t.ok(await email.isVisible(), 'Email field');
  t.ok(await password.isVisible(), 'Password field');
  t.ok(await submit.isVisible(), 'Log in button');
  t.equal(await password.getAttribute('type'), 'password');
  t.ok(await page.getByRole('button', { name: 'Switch to light theme' }).isVisible(), 'theme toggle');
  await page.screenshot({ path: screenshotPath('smoke-login.png'), fullPage: true });

  // Wait for hydration, then validate in the page: no request leaves for a bad email.
  await page.waitForLoadState('networkidle');
  await email.fill('not-an-email');
  await password.fill('short');
  await submit.click();
  await page.getByText('Enter a valid email address').waitFor();
  await page.getByText('at least 8 characters').waitFor();
  t.equal(await email.getAttribute('aria-invalid'), 'true');
  t.equal(page.url(), `${ui.url}/login`, 'stayed on the page');

  await email.fill('ada@example.com');
  await password.fill('correct horse battery');
  await submit.click();
  const alert = page.getByRole('alert').filter({ hasText: 'gateway is unreachable' });
  await alert.waitFor();
  t.ok(await alert.isVisible(), 'the outage is explained');
  t.equal(await password.inputValue(), '', 'the password is cleared after a failed attempt');
  await page.screenshot({ path: screenshotPath('smoke-login-gateway-down.png'), fullPage: true });

  t.same(
    problems.filter((p) => !/Failed to load resource/.test(p)),
    [],
    'no script errors, no CSP violations',
  );
  await context.close();
});

t.test('protected pages redirect to login; 390 px wide still fits', async (t) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`${ui.url}/trade/ETHUSDT`);
  t.equal(new URL(page.url()).pathname, '/login');
  t.equal(new URL(page.url()).searchParams.get('redirectTo'), '/trade/ETHUSDT');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  t.equal(overflow, 0, 'no horizontal scroll');
  await page.screenshot({ path: screenshotPath('login-phone.png'), fullPage: true });
  await page.goto(`${ui.url}/register`);
  t.ok(await page.getByRole('button', { name: 'Create account' }).isVisible());
  t.ok(await page.getByRole('textbox', { name: 'Email' }).isVisible());
  await context.close();
});

t.test('the proxy answers with the envelope when the gateway is down, and refuses auth routes', async (t) => {
  const down = await fetch(`${ui.url}/api/market/symbols`);
  t.equal(down.status, 502);
  t.match(await down.json(), { error: { code: 'SERVICE_UNAVAILABLE' } });
  const blocked = await fetch(`${ui.url}/api/auth/login`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  t.equal(blocked.status, 404);
  const ticket = await fetch(`${ui.url}/session/ws-ticket`, { method: 'POST' });
  t.equal(ticket.status, 401, 'no session, no ticket');
  const cross = await fetch(`${ui.url}/api/orders`, {
    method: 'POST',
    headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
    body: '{}',
  });
  t.equal(cross.status, 403);
});
