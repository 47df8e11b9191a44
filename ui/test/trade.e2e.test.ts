// The whole trader flow in a real browser against a fake gateway that speaks the contract:
// login through the form action, live data over the socket (ticket, auth, subscribe, updates),
// placing and canceling orders through the proxy, the order page, settings, logout.
import t from 'tap';
import { ensureBuild, ensureChromium, launchBrowser, screenshotPath, startUi } from './support/browser.ts';
import { startFakeGateway } from './support/fake-gateway.ts';

ensureChromium();
ensureBuild();
const gw = await startFakeGateway();
const ui = await startUi({ GATEWAY_URL: gw.url });
const browser = await launchBrowser();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
const problems: string[] = [];
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
page.on('console', (m) => {
  if (m.type() === 'error') problems.push(`console: ${m.text()}`);
});
t.teardown(async () => {
  await browser.close();
  await ui.stop();
  await gw.close();
});

t.test('log in through the form; the token stays in an httpOnly cookie', async (t) => {
  await page.goto(`${ui.url}/`);
  t.equal(new URL(page.url()).pathname, '/login');
  await page.waitForLoadState('networkidle');
  await page.getByRole('textbox', { name: 'Email' }).fill('ada@example.com');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/trade/BTCUSDT');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'blotter_session');
  t.equal(session?.httpOnly, true);
  t.equal(session?.sameSite, 'Lax');
  t.equal(
    await page.evaluate(() => document.cookie.includes('blotter_session') || document.cookie.includes('fake.jwt')),
    false,
    'invisible to page JS',
  );
  t.equal(await page.evaluate(() => localStorage.length), 0);
});

t.test('the socket connects with a ticket, subscribes, and the page fills in live', async (t) => {
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const auth = gw.wsMessages.find((m) => m.type === 'auth');
  t.match(auth?.token, /^ticket-/, 'a ticket, not the session token');
  t.equal(gw.wsOrigins[0], ui.url, 'the socket comes from the UI origin');
  const subscribed = gw.wsMessages.filter((m) => m.type === 'subscribe').flatMap((m) => m.channels as string[]);
  for (const c of ['orders', 'trades', 'positions', 'balances', 'ticker:BTCUSDT', 'candles:BTCUSDT:1m']) t.ok(subscribed.includes(c), c);
  t.ok(
    gw.requests.filter((r) => r.path.startsWith('/api/market/BTCUSDT/candles')).every((r) => r.auth === 'Bearer fake.jwt.token'),
    'the proxy adds the bearer token',
  );

  gw.pushTicker('BTCUSDT', '64250.10');
  await page.getByTestId('last-price').filter({ hasText: '64,250.10' }).waitFor();
  const positions = page.getByRole('tabpanel');
  await positions.getByRole('cell', { name: '+2,125.05' }).waitFor();
  t.pass('unrealized PnL = (64250.10 − 60000) × 0.5 from the live ticker');
  t.ok(await page.getByRole('cell', { name: '+12.50' }).isVisible(), 'realized PnL from the snapshot');
  t.ok(await page.locator('.chart canvas').first().isVisible(), 'the chart draws');
  await page.getByRole('region', { name: 'Balances' }).getByRole('cell', { name: '10,000' }).waitFor();
  for (const name of ['Positions', 'Open orders', 'Order history', 'Trades'])
    t.ok(await page.getByRole('tab', { name }).isVisible(), `tab ${name}`);
  await page.screenshot({ path: screenshotPath('trade.png') });
});

t.test('the ticket: shortcuts, validation next to the field, quick sizes', async (t) => {
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('s');
  t.equal(await page.getByRole('button', { name: 'Sell' }).getAttribute('aria-pressed'), 'true');
  t.equal(await page.evaluate(() => document.activeElement?.id), 'quantity', 'S focuses the ticket');
  await page.keyboard.type('b');
  t.equal(await page.getByRole('button', { name: 'Sell' }).getAttribute('aria-pressed'), 'true', 'typing in a field is not a shortcut');
  await page.getByRole('textbox', { name: 'Quantity' }).fill('');
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('b');
  t.equal(await page.getByRole('button', { name: 'Buy' }).getAttribute('aria-pressed'), 'true');

  const price = page.getByRole('textbox', { name: 'Price' });
  await price.fill('64000.005');
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.01');
  await page.getByRole('textbox', { name: 'Quantity' }).blur();
  await price.blur();
  await page.getByText('Price 64000.005 is not a multiple of the tick size 0.01').waitFor();
  t.equal(await price.getAttribute('aria-invalid'), 'true');
  await price.fill('64000');
  await page.getByRole('button', { name: '50% of available' }).click();
  t.equal(await page.getByRole('textbox', { name: 'Quantity' }).inputValue(), '0.07812', '5000 USDT / 64000 floored to the step');
});

t.test('a denial from the server shows next to its field', async (t) => {
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.00999');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByText('Quantity is over your per-order limit').waitFor();
  t.equal(await page.getByRole('textbox', { name: 'Quantity' }).getAttribute('aria-invalid'), 'true');
});

t.test('place a limit order, see it open, cancel it, get a toast', async (t) => {
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.01');
  await page.getByRole('textbox', { name: 'Price' }).fill('64000');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('tab', { name: 'Open orders', selected: true }).waitFor();
  const row = page.getByRole('tabpanel').getByRole('row').filter({ hasText: '64,000.00' });
  await row.filter({ hasText: 'New' }).waitFor();
  const placed = gw.requests.find(
    (r) => r.method === 'POST' && r.path === '/api/orders' && (r.body as { quantity?: string }).quantity === '0.01',
  );
  t.match((placed?.body as { clientOrderId?: string } | undefined)?.clientOrderId, /^ui-[a-z0-9]{24}$/, 'a client order id per submission');
  await row.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('status').filter({ hasText: 'Order canceled' }).waitFor();
  t.ok(
    gw.requests.some((r) => r.method === 'DELETE'),
    'DELETE /api/orders/:id',
  );
  await page.getByRole('tab', { name: 'Order history' }).click();
  await page.getByRole('tabpanel').getByText('Canceled').first().waitFor();
});

t.test('a market order fills: toast, trade row, balance update', async (t) => {
  await page.getByLabel('Order type').selectOption('MARKET');
  t.equal(await page.getByRole('textbox', { name: 'Price' }).count(), 0, 'no price for a market order');
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.001');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('status').filter({ hasText: 'Order filled' }).waitFor();
  await page.getByRole('tab', { name: 'Trades' }).click();
  await page.getByRole('tabpanel').getByRole('cell', { name: '64,250.10' }).first().waitFor();
  await page.getByRole('region', { name: 'Balances' }).getByRole('cell', { name: '9,000' }).waitFor();
  t.pass('trade and balance arrived over the socket');
  await page.screenshot({ path: screenshotPath('trade-after-fill.png') });
});

t.test('timeframe and symbol switches refetch and resubscribe', async (t) => {
  await page.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: '1h' }).click();
  await t.resolves(waitFor(() => gw.requests.some((r) => r.path === '/api/market/BTCUSDT/candles?interval=1h&limit=500')));
  await t.resolves(
    waitFor(() => gw.wsMessages.some((m) => m.type === 'subscribe' && (m.channels as string[]).includes('candles:BTCUSDT:1h'))),
  );
  await t.resolves(
    waitFor(() => gw.wsMessages.some((m) => m.type === 'unsubscribe' && (m.channels as string[]).includes('candles:BTCUSDT:1m'))),
  );
  await page.getByLabel('Symbol').selectOption('ETHUSDT');
  await page.waitForURL('**/trade/ETHUSDT');
  await t.resolves(
    waitFor(() => gw.wsMessages.some((m) => m.type === 'subscribe' && (m.channels as string[]).includes('candles:ETHUSDT:1h'))),
  );
  await page.getByText(/^Buy ETH/).waitFor();
  t.equal(await page.getByLabel('Symbol').inputValue(), 'ETHUSDT');
  t.equal(await page.getByRole('textbox', { name: 'Quantity' }).inputValue(), '', 'a new market starts a fresh ticket');
});

t.test('the order page shows the order and its event timeline', async (t) => {
  await page.getByRole('tab', { name: 'Order history' }).click();
  await page.getByRole('tabpanel').getByRole('link').first().click();
  await page.waitForURL('**/orders/**');
  await page.getByRole('heading', { name: 'Event timeline' }).waitFor();
  t.ok(await page.getByText('Order placed').isVisible());
  t.ok(await page.getByText('venueOrderId').isVisible(), 'event data rendered as lines');
  t.equal(await page.getByText('userId').count(), 0, 'bookkeeping fields hidden');
  await page.screenshot({ path: screenshotPath('order-detail.png'), fullPage: true });
});

t.test('settings show only the fingerprint; the secret field is a password field', async (t) => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL('**/settings');
  t.ok(await page.getByText('3f9a0c1d2e4b5a69').isVisible());
  t.equal(await page.getByLabel('API secret').getAttribute('type'), 'password');
  await page.getByLabel('API key').fill('short');
  await page.getByRole('button', { name: 'Replace keys' }).click();
  await page.getByText('The API key is 8 to 128 letters and digits').waitFor();
});

t.test('light theme and a 390 px phone', async (t) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await phone.addCookies(await context.cookies());
  const p = await phone.newPage();
  await p.goto(`${ui.url}/trade/BTCUSDT`);
  await p.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await p.getByRole('button', { name: 'Switch to light theme' }).click();
  t.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'light');
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  t.equal(overflow, 0, 'no horizontal scroll at 390 px');
  await p.screenshot({ path: screenshotPath('trade-390-light.png'), fullPage: true });
  await p.reload();
  t.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'light', 'the theme persists, rendered by the server');
  await phone.close();
});

t.test('log out clears the session', async (t) => {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
  t.equal(
    (await context.cookies()).some((c) => c.name === 'blotter_session'),
    false,
  );
  t.same(
    problems.filter((p) => !/Failed to load resource/.test(p)),
    [],
    'no script errors or CSP violations along the way',
  );
});

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
