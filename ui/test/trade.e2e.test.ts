// A trader's day against the real Blotter (support/system.ts: simulator, market feed, projector,
// executor and gateway on the real NATS and Postgres, the built UI) in a real Chromium: register,
// log out and in, the chart fills with candles and the price moves, a denial from the server shows
// next to its field, a market buy and a marketable limit buy fill and show up in Trades, Positions
// and Balances over the socket, a far limit buy rests and is canceled, its timeline shows every
// event, settings store and delete venue keys showing only fingerprints, light and dark, a 390 px
// phone, the audit area is closed to a trader, log out. No fixed sleeps: every wait is on visible
// state.
import { createHash, randomBytes } from 'node:crypto';
import t from 'tap';
import { screenshotPath } from './support/browser.ts';
import { openPage, startE2e } from './support/e2e.ts';

const { blotter, browser } = await startE2e();

const ui = blotter.uiUrl;
const email = `trader-${randomBytes(4).toString('hex')}@example.com`;
const password = 'correct horse battery';
const { context, page, problems } = await openPage(browser);
// Full page loads of the main frame: "without a reload" is checked against this count.
let documentLoads = 0;
page.on('load', () => documentLoads++);

const panel = () => page.getByRole('tabpanel');
const showTab = async (name: string) => {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tab', { name, selected: true }).waitFor();
};
const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** A price on BTCUSDT's 0.01 tick, `factor` times the last price. */
const priceAt = (factor: number) => (Math.floor(lastPrice * factor * 100) / 100).toFixed(2);
const readLastPrice = async () => Number((await page.getByTestId('last-price').textContent())?.replace(/,/g, ''));
let lastPrice = 0;
let limitOrderId = '';

t.test('register through the form; the session is an httpOnly cookie', async (t) => {
  await page.goto(`${ui}/register`);
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: screenshotPath('register-desktop.png') });
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/trade/BTCUSDT');
  const session = (await context.cookies()).find((c) => c.name === 'blotter_session');
  t.equal(session?.httpOnly, true, 'httpOnly');
  t.equal(session?.sameSite, 'Lax', 'SameSite=Lax');
  t.equal(await page.evaluate(() => document.cookie.includes('blotter_session')), false, 'invisible to page JS');
  t.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0, 'no token in web storage');
  t.ok(await page.getByText(email).isVisible(), 'the header shows who is logged in');
  t.equal(
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).count(),
    0,
    'no Audit link for a trader',
  );
});

t.test('log out, a wrong password is refused, the right one logs in', async (t) => {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
  t.equal(
    (await context.cookies()).some((c) => c.name === 'blotter_session'),
    false,
    'cookie cleared',
  );
  await page.screenshot({ path: screenshotPath('login-desktop.png') });
  await page.waitForLoadState('networkidle');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'email or password is wrong' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/login', 'still on the login page');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/trade/BTCUSDT');
  t.ok(
    (await context.cookies()).some((c) => c.name === 'blotter_session'),
    'a new session',
  );
});

t.test('the chart draws real candles; the price is live', async (t) => {
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const chart = page.getByRole('figure', { name: /BTCUSDT 1m candlestick chart with volume, \d+ candles/ });
  await chart.waitFor();
  await page.waitForFunction(() => {
    const label = document.querySelector('[role="figure"][aria-label*="candlestick"]')?.getAttribute('aria-label') ?? '';
    return Number(/(\d+) candles/.exec(label)?.[1] ?? 0) > 1;
  });
  t.ok((await chart.locator('canvas').count()) > 0, 'lightweight-charts drew into canvases');
  t.ok(await chart.locator('canvas').first().isVisible(), 'the canvas is visible');
  const ohlc = page.getByTestId('ohlc');
  await ohlc.waitFor();
  t.match(
    await ohlc.textContent(),
    /O\s*[\d,]+\.\d{2}\s*H\s*[\d,]+\.\d{2}\s*L\s*[\d,]+\.\d{2}\s*C\s*[\d,]+\.\d{2}/,
    'OHLC legend of the last candle',
  );
  await page.waitForFunction(() =>
    /^\d{1,3}(,\d{3})*\.\d{2}$/.test(document.querySelector('[data-testid="last-price"]')?.textContent ?? ''),
  );
  const first = await page.getByTestId('last-price').textContent();
  lastPrice = await readLastPrice();
  t.ok(lastPrice > 1000 && lastPrice < 1_000_000, `a realistic BTC price: ${lastPrice}`);
  // The market feed ticks: the price on screen changes without any action of ours.
  const loadsBefore = documentLoads;
  await page.waitForFunction(
    (before) => {
      const now = document.querySelector('[data-testid="last-price"]')?.textContent ?? '';
      return now !== before && /^\d{1,3}(,\d{3})*\.\d{2}$/.test(now);
    },
    first,
    { timeout: 30_000 },
  );
  t.pass(`the price moved from ${first} to ${await page.getByTestId('last-price').textContent()}`);
  t.equal(documentLoads, loadsBefore, 'over the socket');
  t.equal(await page.getByText('Loading candles…').count(), 0, 'loading message gone');
});

t.test('a denial from the server (422) shows next to the field it is about', async (t) => {
  lastPrice = await readLastPrice();
  await page.getByLabel('Order type').selectOption('LIMIT');
  await page.getByRole('button', { name: 'Buy', exact: true }).click();
  await page.locator('form[aria-label="Order ticket"]').getByRole('textbox', { name: 'Price' }).fill(priceAt(0.6));
  // 100 % of the free USDT passes the page's own balance check, but the gateway also holds back
  // a fee margin: INSUFFICIENT_BALANCE, about the quantity.
  await page.getByRole('button', { name: '100% of available' }).click();
  const quantity = page.getByRole('textbox', { name: 'Quantity' });
  t.match(await quantity.inputValue(), /^0\.\d+$/, 'the quick size filled in a quantity');
  const placed = page.waitForResponse((r) => r.url().endsWith('/api/orders') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Place order' }).click();
  const res = await placed;
  t.equal(res.status(), 422, 'the gateway denied it');
  t.match(await res.json(), { error: { code: 'INSUFFICIENT_BALANCE' } });
  const message = page.locator('#quantity-error');
  await message.filter({ hasText: /needs [\d.]+ USDT/ }).waitFor();
  t.match(await message.textContent(), /available/, `next to Quantity: "${await message.textContent()}"`);
  t.equal(await quantity.getAttribute('aria-invalid'), 'true', 'the field is marked invalid');
  t.equal(await quantity.getAttribute('aria-describedby'), 'quantity-error', 'and described by the message');
  await page.screenshot({ path: screenshotPath('trade-denied.png') });
  // The denied order also arrives over the socket: a toast that stays until dismissed.
  const toast = page.getByRole('alert').filter({ hasText: 'Order denied' });
  await toast.filter({ hasText: 'needs' }).waitFor();
  await toast.getByRole('button', { name: 'Dismiss notification' }).click();
  await toast.waitFor({ state: 'detached' });
  t.pass('the denial toast, dismissed');
  // Editing the field clears the server's message.
  await quantity.fill('0.0002');
  await message.waitFor({ state: 'detached' });
  t.pass('cleared on edit');
});

t.test('a market buy fills and appears in Trades, Positions and Balances without a reload', async (t) => {
  const loadsBefore = documentLoads;
  await page.getByLabel('Order type').selectOption('MARKET');
  t.equal(
    await page.locator('form[aria-label="Order ticket"]').getByRole('textbox', { name: 'Price' }).count(),
    0,
    'no price for a market order',
  );
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.001');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('status').filter({ hasText: 'Order filled' }).filter({ hasText: 'BUY 0.001 BTCUSDT' }).waitFor();
  await showTab('Trades');
  const trade = panel().getByRole('row').filter({ hasText: 'BTCUSDT' }).filter({ hasText: 'Buy' });
  await trade.first().waitFor();
  t.equal(await trade.count(), 1, 'one trade row');
  t.match(await trade.first().textContent(), /0\.00100/, 'the filled quantity');
  await showTab('Positions');
  const position = panel()
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: 'BTCUSDT' }) });
  await position.waitFor();
  t.match(await position.textContent(), /0\.00\d{3}/, 'a BTC position');
  const balances = page.getByRole('region', { name: 'Balances' });
  await balances.getByRole('cell', { name: 'BTC', exact: true }).waitFor();
  const usdt = balances.getByRole('row').filter({ has: page.getByRole('cell', { name: 'USDT', exact: true }) });
  await page.waitForFunction(
    () => {
      const rows = [...(document.getElementById('balances-title')?.closest('section')?.querySelectorAll('tr') ?? [])];
      const row = rows.find((r) => r.querySelector('td')?.textContent?.trim() === 'USDT');
      const free = Number(row?.querySelectorAll('td')[1]?.textContent?.replace(/,/g, '') ?? 'NaN');
      return free > 0 && free < 10_000;
    },
    undefined,
    { timeout: 30_000 },
  );
  t.pass(`USDT spent: ${(await usdt.textContent())?.replace(/\s+/g, ' ')}`);
  t.equal(documentLoads, loadsBefore, 'no page load: everything came over the socket');
  t.equal(new URL(page.url()).pathname, '/trade/BTCUSDT');
});

t.test('a limit buy above the market fills at once', async (t) => {
  const loadsBefore = documentLoads;
  lastPrice = await readLastPrice();
  await page.getByLabel('Order type').selectOption('LIMIT');
  await page.locator('form[aria-label="Order ticket"]').getByRole('textbox', { name: 'Price' }).fill(priceAt(1.02));
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.0003');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('status').filter({ hasText: 'Order filled' }).filter({ hasText: 'BUY 0.0003 BTCUSDT' }).waitFor();
  await showTab('Trades');
  await panel().getByRole('row').filter({ hasText: '0.00030' }).waitFor();
  t.equal(await panel().getByRole('row').filter({ hasText: 'BTCUSDT' }).count(), 2, 'two trades now');
  await showTab('Order history');
  await panel().getByRole('row').filter({ hasText: '0.0003' }).filter({ hasText: 'Filled' }).waitFor();
  t.pass('in the order history as Filled');
  await showTab('Positions');
  await panel()
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: 'BTCUSDT' }) })
    .filter({ hasText: /0\.0012\d/ })
    .waitFor();
  t.pass('the position grew by the fill');
  t.equal(documentLoads, loadsBefore, 'no page load');
});

t.test('a limit buy at 0.6× the market rests, and is canceled from Open orders', async (t) => {
  lastPrice = await readLastPrice();
  const price = priceAt(0.6);
  const shown = money(Number(price));
  await page.getByLabel('Order type').selectOption('LIMIT');
  await page.locator('form[aria-label="Order ticket"]').getByRole('textbox', { name: 'Price' }).fill(price);
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.0002');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('tab', { name: 'Open orders', selected: true }).waitFor();
  const row = panel().getByRole('row').filter({ hasText: shown });
  await row.filter({ hasText: 'New' }).waitFor();
  t.pass(`resting at ${shown}`);
  const href = await row.getByRole('link').first().getAttribute('href');
  limitOrderId = href?.replace('/orders/', '') ?? '';
  t.match(limitOrderId, /^[0-9a-f-]{36}$/, 'the row links to the order');
  await row.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('status').filter({ hasText: 'Order canceled' }).waitFor();
  await row.waitFor({ state: 'detached' });
  await showTab('Order history');
  await panel().getByRole('row').filter({ hasText: shown }).filter({ hasText: 'Canceled' }).waitFor();
  t.pass('in the order history as Canceled');
});

t.test("the order's timeline page shows its events", async (t) => {
  await panel().getByRole('row').filter({ hasText: 'Canceled' }).getByRole('link').first().click();
  await page.waitForURL(`**/orders/${limitOrderId}`);
  await page.getByRole('heading', { name: 'Event timeline' }).waitFor();
  const timeline = page.getByRole('list', { name: 'Events' });
  for (const type of ['OrderPlaced', 'OrderAccepted', 'OrderCancelRequested', 'OrderCanceled']) {
    await timeline.getByText(type, { exact: true }).waitFor();
    t.pass(type);
  }
  t.match(await page.getByRole('heading', { level: 1 }).textContent(), /Buy\s+0\.0002 BTCUSDT · Canceled/);
  await page.screenshot({ path: screenshotPath('order-timeline-desktop.png'), fullPage: true });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await phone.addCookies(await context.cookies());
  const p = await phone.newPage();
  await p.goto(`${ui}/orders/${limitOrderId}`);
  await p.getByRole('list', { name: 'Events' }).getByText('OrderCanceled', { exact: true }).waitFor();
  t.equal(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'fits 390 px');
  await p.screenshot({ path: screenshotPath('order-timeline-phone.png'), fullPage: true });
  await phone.close();
});

t.test('the trade page in dark and light, desktop 1440×900 and phone 390×844', async (t) => {
  await page.getByRole('link', { name: '← Back to BTCUSDT' }).click();
  await page.waitForURL('**/trade/BTCUSDT');
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.getByTestId('ohlc').waitFor();
  await panel()
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: 'BTCUSDT' }) })
    .waitFor();
  t.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'dark by default');
  await page.screenshot({ path: screenshotPath('trade-desktop-dark.png') });
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  t.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  t.ok(background !== 'rgba(0, 0, 0, 0)', `light background: ${background}`);
  await page.getByTestId('ohlc').waitFor();
  await page.screenshot({ path: screenshotPath('trade-desktop-light.png') });
  await page.reload();
  t.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light', 'the theme persists, rendered by the server');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  t.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'and back');

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await phone.addCookies((await context.cookies()).filter((c) => c.name !== 'blotter_theme'));
  const p = await phone.newPage();
  await p.goto(`${ui}/trade/BTCUSDT`);
  await p.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await p.getByTestId('ohlc').waitFor();
  await p
    .getByRole('tabpanel')
    .getByRole('row')
    .filter({ has: p.getByRole('link', { name: 'BTCUSDT' }) })
    .waitFor();
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  t.equal(overflow, 0, 'no horizontal scroll at 390 px');
  t.ok(await p.getByRole('button', { name: 'Place order' }).isVisible(), 'the ticket is there');
  await p.screenshot({ path: screenshotPath('trade-phone-dark.png'), fullPage: true });
  await p.getByRole('button', { name: 'Switch to light theme' }).click();
  t.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'light');
  await p.screenshot({ path: screenshotPath('trade-phone-light.png'), fullPage: true });
  await phone.close();
});

t.test('settings: store and delete venue keys; only fingerprints are ever shown', async (t) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL('**/settings');
  await page.waitForLoadState('networkidle');
  const stored = page.locator('dd').filter({ has: page.locator('code') });
  const paperFingerprint = (await stored.locator('code').textContent()) ?? '';
  t.match(paperFingerprint, /^[0-9a-f]{16}$/, `the paper account's keys, as a fingerprint: ${paperFingerprint}`);
  t.ok(await page.locator('dd').getByText('Paper (simulator)').isVisible(), 'venue: paper');
  t.equal(await page.getByLabel('API secret').getAttribute('type'), 'password', 'the secret is a password field');
  await page.screenshot({ path: screenshotPath('settings-desktop.png') });

  // Client-side rules first.
  await page.getByLabel('API key').fill('short');
  await page.getByRole('button', { name: 'Replace keys' }).click();
  await page.getByText('The API key is 8 to 128 letters and digits').waitFor();

  // Keys the venue does not know: its refusal is shown and nothing changes.
  await page.getByLabel('Venue', { exact: true }).selectOption('binance-testnet');
  await page.getByLabel('API key').fill(`K${randomBytes(16).toString('hex')}`);
  await page.getByLabel('API secret').fill(`S${randomBytes(24).toString('hex')}`);
  await page.getByRole('button', { name: 'Replace keys' }).click();
  await page.getByRole('alert').filter({ hasText: 'the venue refused these keys' }).waitFor();
  t.equal(await stored.locator('code').textContent(), paperFingerprint, 'refused keys: the paper keys stay');

  // Good testnet keys: the kit points BINANCE_TESTNET_URL at the simulator, so an account of its own.
  const { apiKey, apiSecret } = await blotter.stack.simAdmin.createAccount({ USDT: '1000' });
  await page.getByLabel('Venue', { exact: true }).selectOption('binance-testnet');
  await page.getByLabel('API key').fill(apiKey);
  await page.getByLabel('API secret').fill(apiSecret);
  await page.getByRole('button', { name: 'Replace keys' }).click();
  await page.getByRole('status').filter({ hasText: 'Keys saved' }).waitFor();
  const expected = createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
  await stored.locator('code').filter({ hasText: expected }).waitFor();
  t.pass(`the new fingerprint ${expected} (sha256 of the key) is shown`);
  const html = await page.content();
  t.notOk(html.includes(apiSecret), 'the secret is nowhere in the page');
  t.notOk(html.includes(apiKey), 'nor is the key');
  t.equal(await page.getByLabel('API secret').inputValue(), '', 'the secret field is emptied');
  const me = await page.request.get(`${ui}/api/me`);
  t.match(await me.json(), { venue: { kind: 'binance-testnet', keyFingerprint: expected } }, 'the gateway agrees');
  t.notOk(JSON.stringify(await me.json()).includes(apiSecret), 'and never returns the secret');

  await page.getByRole('button', { name: 'Delete keys' }).click();
  await page.getByRole('status').filter({ hasText: 'Keys deleted' }).waitFor();
  await stored.locator('code').filter({ hasText: paperFingerprint }).waitFor();
  t.pass('back on paper, with its own fingerprint');
  t.match(await (await page.request.get(`${ui}/api/me`)).json(), { venue: { kind: 'paper', keyFingerprint: paperFingerprint } });

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await phone.addCookies(await context.cookies());
  const p = await phone.newPage();
  await p.goto(`${ui}/settings`);
  await p.getByRole('heading', { name: 'Venue keys' }).waitFor();
  t.equal(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'fits 390 px');
  await p.screenshot({ path: screenshotPath('settings-phone.png'), fullPage: true });
  await phone.close();
});

t.test('the audit area is closed to a trader', async (t) => {
  const res = await page.goto(`${ui}/audit`);
  t.equal(res?.status(), 403);
  await page.getByRole('heading', { name: 'Access denied' }).waitFor();
  t.ok(await page.getByText('The audit area is for auditors').isVisible());
  await page.screenshot({ path: screenshotPath('audit-403-trader.png') });
  const api = await page.request.get(`${ui}/api/audit/events`);
  t.equal(api.status(), 403, 'and so is the audit API behind the proxy');
});

t.test('log out ends the session', async (t) => {
  await page.goto(`${ui}/trade/BTCUSDT`);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
  t.equal(
    (await context.cookies()).some((c) => c.name === 'blotter_session'),
    false,
    'cookie cleared',
  );
  await page.goto(`${ui}/trade/BTCUSDT`);
  t.equal(new URL(page.url()).pathname, '/login', 'protected pages send you to log in');
  t.same(
    problems.filter((p) => !/Failed to load resource/.test(p)),
    [],
    'no script errors or CSP violations along the way',
  );
});
