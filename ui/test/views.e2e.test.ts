// What a trader (and an auditor) sees, at 1440×900 and at 390×844, against the real Blotter in a
// real Chromium: each defect issue 20 found is measured in the DOM (support/checks.ts): no page
// wider than the screen, no table wider than its box, no clipped heading, the OHLC legend clear of
// the chart, the ticket's submit on the first screen of a phone, toasts clear of the ticket, a fees
// column, the selected tab on screen, the desktop page using the window's height; a holding that
// is not a multiple of the step shows truncated, never larger; the five timeframes each draw and
// keep a live candle; a price alert set beside the ticket fires once when the market crosses it,
// in two open tabs, and is in the auditor's history; axe-core finds no serious or critical
// violation; no console error or warning. Screenshots go to artifacts/screenshots (git-ignored)
// for a person to look at.
import { randomBytes } from 'node:crypto';
import { dec } from '@blotter/orders/money';
import type { Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { screenshotPath } from './support/browser.ts';
import {
  axeViolations,
  bottomOnFirstScreen,
  clippedCells,
  overlap,
  pageOverflow,
  sidewaysOverflow,
  widerTables,
} from './support/checks.ts';
import { DESKTOP, openPage, PHONE, startE2e, watchProblems } from './support/e2e.ts';
import { eventually } from '@blotter/test-kit';
import { gatewayCall } from './support/system.ts';
import { recordToasts } from './support/toasts.ts';

const { blotter, browser } = await startE2e();
const ui = blotter.uiUrl;
const email = `views-${randomBytes(4).toString('hex')}@example.com`;
const password = 'correct horse battery';
const desk = await openPage(browser, DESKTOP);
const page = desk.page;
let token = '';

/** The checks every page gets at every size; `name` labels the screenshot and the assertions. */
async function layoutChecks(t: Test, p: Page, name: string) {
  t.equal(await pageOverflow(p), 0, `${name}: no page wider than the screen`);
  t.same(await widerTables(p), [], `${name}: no table wider than its box`);
  t.same(await axeViolations(p), [], `${name}: axe finds no serious or critical violation`);
  await p.screenshot({ path: screenshotPath(`views-${name}.png`), fullPage: true });
}

const panel = (p: Page) => p.getByRole('tabpanel');
/** A decimal price as the page shows it: "67123.45" → "67,123.45". */
const grouped = (price: string) => {
  const [int = '', frac] = price.split('.');
  return `${int.replace(/\B(?=(\d{3})+$)/g, ',')}${frac === undefined ? '' : `.${frac}`}`;
};
const showTab = async (p: Page, name: string) => {
  await p.getByRole('tab', { name }).click();
  await p.getByRole('tab', { name, selected: true }).waitFor();
};

t.test('register, and the trade page goes live', async (t) => {
  await page.goto(`${ui}/register`);
  await page.waitForLoadState('networkidle');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/trade/BTCUSDT');
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.getByTestId('ohlc').waitFor();
  const login = await gatewayCall<{ token: string }>(blotter, 'POST', '/api/auth/login', { body: { email, password } });
  token = login.body.token;
  t.ok(token, 'a token for the set-up calls');
});

t.test('a market buy whose holding is not a multiple of the step shows truncated, never larger', async (t) => {
  await page.getByLabel('Order type').selectOption('MARKET');
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.001');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('status').filter({ hasText: 'Order filled' }).waitFor();
  // The venue takes its fee from the BTC bought: the holding is 0.001 less the fee.
  const held = await eventually(
    async () => {
      const res = await gatewayCall<{
        positions: { symbol: string; quantity: string; feesByAsset: { asset: string; amount: string }[] }[];
      }>(blotter, 'GET', '/api/positions', { token });
      return res.body.positions.find((p) => p.symbol === 'BTCUSDT' && p.feesByAsset.length > 0);
    },
    30_000,
    'the position',
  );
  t.comment(`held ${held.quantity} BTC, fees ${JSON.stringify(held.feesByAsset)}`);
  t.notOk(dec(held.quantity).times(100_000).mod(1).eq(0), `the holding ${held.quantity} is not a multiple of the 0.00001 step`);
  await showTab(page, 'Positions');
  const row = panel(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: 'BTCUSDT' }) });
  await row.waitFor();
  const size = (await row.getByRole('cell').nth(1).textContent())?.trim() ?? '';
  const truncated = dec(held.quantity).round(5, 0).toFixed(5);
  t.equal(size, truncated, `shown ${size}: the holding cut at the step`);
  t.ok(dec(size).lte(held.quantity), 'never more than is held');
  // The Fees column lists the fee as charged, in its own asset.
  const headers = await panel(page).getByRole('columnheader').allTextContents();
  t.ok(headers.includes('Fees'), `Positions has a Fees column: ${headers.join(' | ')}`);
  const fee = held.feesByAsset[0];
  if (fee) {
    const feesCell = (await row.getByRole('cell').last().textContent())?.trim() ?? '';
    t.ok(feesCell.endsWith(fee.asset) && dec(feesCell.split(' ')[0] ?? 'x').eq(fee.amount), `fees shown exactly: ${feesCell}`);
  }
  // The balance of BTC is the same holding at BTC's precision.
  const btc = page
    .getByRole('region', { name: 'Balances' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: 'BTC', exact: true }) });
  await btc.waitFor();
  const free = (await btc.getByRole('cell').nth(1).textContent())?.trim() ?? '';
  t.ok(dec(free.replaceAll(',', '')).lte(held.quantity), `BTC free ${free} is not more than held`);
  await showTab(page, 'Trades');
  t.ok((await panel(page).getByRole('columnheader').allTextContents()).includes('Fee'), 'Trades has a Fee column');
  await showTab(page, 'Order history');
  t.ok((await panel(page).getByRole('columnheader').allTextContents()).includes('Fees'), 'Orders have a Fees column');
});

t.test('the ticket totals live as price and quantity are typed', async (t) => {
  await page.getByLabel('Order type').selectOption('LIMIT');
  await page.locator('form[aria-label="Order ticket"]').getByRole('textbox', { name: 'Price' }).fill('1000.50');
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.002');
  const total = page.locator('.summary dd').nth(1);
  t.equal((await total.textContent())?.trim(), '2.00 USDT', 'Total = 1000.50 × 0.002 at USDT’s 2 decimals');
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.01');
  t.equal((await total.textContent())?.trim(), '10.00 USDT', 'and follows the next keystroke');
  await page.getByRole('textbox', { name: 'Quantity' }).fill('');
});

t.test('a LIMIT order rests far below the market, so the open-orders table has a row', async (t) => {
  const last = Number((await page.getByTestId('last-price').textContent())?.replace(/,/g, ''));
  await page.getByLabel('Order type').selectOption('LIMIT');
  await page
    .locator('form[aria-label="Order ticket"]')
    .getByRole('textbox', { name: 'Price' })
    .fill((Math.floor(last * 60) / 100).toFixed(2));
  await page.getByRole('textbox', { name: 'Quantity' }).fill('0.0002');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('tab', { name: 'Open orders', selected: true }).waitFor();
  await panel(page).getByRole('row').filter({ hasText: 'New' }).waitFor();
  t.pass('resting');
});

t.test('desktop 1440×900: the page uses the height; nothing clipped, nothing overlapping', async (t) => {
  const used = await page.evaluate(() => {
    const r = document.querySelector('.blotter')?.getBoundingClientRect();
    return { bottom: Math.round(r?.bottom ?? 0), height: window.innerHeight };
  });
  t.ok(used.bottom >= used.height * 0.9 && used.bottom <= used.height, `the tables end at ${used.bottom} of ${used.height} px`);
  t.same(await clippedCells(page), [], 'no clipped cell (Balances shows Free and Locked whole)');
  const legend = await overlap(page, '[data-testid="ohlc"]', '.chart-box');
  t.notOk(legend.overlaps, `the OHLC legend is clear of the chart and its price axis: ${JSON.stringify(legend)}`);
  await layoutChecks(t, page, 'trade-desktop');
});

t.test('five timeframes each draw candles and keep a live one', async (t) => {
  for (const iv of ['1m', '5m', '1h', '1d', '1w']) {
    await page.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: iv, exact: true }).click();
    await page.getByRole('figure', { name: new RegExp(`BTCUSDT ${iv} candlestick chart with volume, [1-9]\\d* candles`) }).waitFor();
    await page.getByRole('definition').first().waitFor();
    t.equal(await page.getByTestId('ohlc').getAttribute('aria-label'), `Current ${iv} candle`, `${iv}: the live candle's legend`);
  }
  // The live candle moves: its close follows the ticker.
  const before = await page.getByTestId('ohlc').textContent();
  await page.waitForFunction((b) => document.querySelector('[data-testid="ohlc"]')?.textContent !== b, before, { timeout: 60_000 });
  t.pass('the 1w candle changed without a reload');
  await page.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: '1m', exact: true }).click();
});

// The price alerts of issue 20, end to end. The market is moved honestly: the simulator's admin
// price pin (what an operator of the paper venue does) holds BTCUSDT still and then moves it, and
// the price reaches the alert evaluator and the pages the way every price does (venue → market
// feed → NATS tickers → evaluator and gateway → WebSocket).
const alerts = { userId: '', fired: '', cancelled: '', sentinel: '' };

t.test('a price alert set beside the ticket fires once, in two open tabs, without a reload', async (t) => {
  const sim = blotter.stack.simAdmin;
  const me = await gatewayCall<{ id: string }>(blotter, 'GET', '/api/me', { token });
  alerts.userId = me.body.id;
  // A second tab of the same user: same browser context, so same session cookie.
  const tabs = [page, await desk.context.newPage()] as const;
  const tabProblems = watchProblems(tabs[1]);
  let loads = 0;
  for (const tab of tabs) tab.on('load', () => loads++);
  await tabs[1].goto(`${ui}/trade/BTCUSDT`);
  loads = 0;
  for (const tab of tabs) await tab.getByRole('status').filter({ hasText: 'Live' }).waitFor();

  // Hold the market at its current price, so nothing but our moves crosses an alert.
  const base = ((await page.getByTestId('last-price').textContent()) ?? '').replaceAll(',', '');
  t.match(base, /^\d+\.\d{2}$/, `the live price: ${base}`);
  const at = (factor: string) => dec(base).times(factor).round(2, 0).toFixed(2);
  const showsPrice = (tab: Page, price: string) =>
    tab.waitForFunction((want) => document.querySelector('[data-testid="last-price"]')?.textContent === want, grouped(price));
  t.teardown(() => sim.unpinPrice('BTCUSDT').then(() => undefined));
  await sim.pinPrice('BTCUSDT', base);
  for (const tab of tabs) await showsPrice(tab, base);

  const tag = randomBytes(3).toString('hex');
  const notes = { fired: `take profit ${tag}`, cancelled: `stop watch ${tag}`, sentinel: `second look ${tag}` };
  const items = (tab: Page, note: string) => tab.getByRole('list', { name: 'Alerts' }).getByRole('listitem').filter({ hasText: note });
  const form = page.getByRole('form', { name: 'Set a price alert on BTCUSDT' });
  const setAlert = async (condition: 'ABOVE' | 'BELOW', price: string, note: string) => {
    await form.getByLabel('Condition').selectOption(condition);
    await form.getByRole('textbox', { name: 'Alert price' }).fill(price);
    await form.getByRole('textbox', { name: 'Note' }).fill(note);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/alerts') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Set alert' }).click();
    const res = await answer;
    t.equal(res.status(), 201, `${condition} ${price} accepted`);
    return ((await res.json()) as { alert: { alertId: string } }).alert.alertId;
  };

  const up = at('1.01');
  const down = at('0.98');
  alerts.fired = await setAlert('ABOVE', up, notes.fired);
  alerts.cancelled = await setAlert('BELOW', down, notes.cancelled);
  for (const [i, tab] of tabs.entries()) {
    await items(tab, notes.fired).and(tab.locator('[data-status="ACTIVE"]')).waitFor();
    await items(tab, notes.cancelled).and(tab.locator('[data-status="ACTIVE"]')).waitFor();
    t.pass(`tab ${i + 1} lists both alerts`);
  }
  // The alert keeps its price as an exact decimal in canonical form: 70295.80 is listed as 70295.8.
  const canonical = (price: string) => dec(price).toString();
  t.match(await items(page, notes.fired).textContent(), `BTCUSDT ≥ ${canonical(up)}`, 'listed with its condition and price');

  await page.getByRole('button', { name: `Cancel alert BTCUSDT ≤ ${canonical(down)}` }).click();
  for (const [i, tab] of tabs.entries()) {
    await items(tab, notes.cancelled).and(tab.locator('[data-status="CANCELED"]')).getByText('cancelled').waitFor();
    t.pass(`tab ${i + 1} shows the other alert cancelled`);
  }

  // The market crosses the alert's price.
  const seen = await Promise.all(tabs.map(recordToasts));
  const cross = at('1.02');
  const crossedAt = Date.now();
  await sim.pinPrice('BTCUSDT', cross);
  for (const [i, tab] of tabs.entries()) {
    await tab.getByRole('status').filter({ hasText: 'Price alert' }).filter({ hasText: notes.fired }).waitFor();
    t.comment(`tab ${i + 1}: the toast ${Date.now() - crossedAt} ms after the pin`);
    const hit = items(tab, notes.fired).and(tab.locator('[data-status="TRIGGERED"]'));
    await hit.waitFor();
    const state = ((await hit.locator('.state').textContent()) ?? '').trim();
    t.ok(/^hit [\d.]+$/.test(state) && dec(state.slice(4)).eq(cross), `tab ${i + 1} lists it triggered: "${state}" (crossed at ${cross})`);
  }
  await layoutChecks(t, page, 'alert-triggered-desktop');
  await tabs[1].screenshot({ path: screenshotPath('views-alert-triggered-second-tab.png') });

  // Back under and across again: the triggered alert stays triggered. A sentinel alert set between
  // the two crossings fires on the second one, so by the time its toast shows, the evaluator has
  // seen the second crossing too.
  await sim.pinPrice('BTCUSDT', base);
  for (const tab of tabs) await showsPrice(tab, base);
  alerts.sentinel = await setAlert('ABOVE', at('1.025'), notes.sentinel);
  await sim.pinPrice('BTCUSDT', at('1.03'));
  for (const tab of tabs) await tab.getByRole('status').filter({ hasText: 'Price alert' }).filter({ hasText: notes.sentinel }).waitFor();
  for (const [i, record] of seen.entries()) {
    const toasts = await record();
    t.equal(toasts.filter((s) => s.includes(notes.fired)).length, 1, `tab ${i + 1}: one toast for the alert over two crossings`);
    t.equal(toasts.filter((s) => s.includes(notes.sentinel)).length, 1, `tab ${i + 1}: one for the sentinel`);
    t.equal(toasts.filter((s) => s.includes(notes.cancelled)).length, 0, `tab ${i + 1}: none for the cancelled one`);
  }
  const listed = await gatewayCall<{ alerts: { alertId: string; status: string; triggerPrice: string | null }[] }>(
    blotter,
    'GET',
    '/api/alerts?status=all',
    { token },
  );
  const fired = listed.body.alerts.find((a) => a.alertId === alerts.fired);
  t.equal(fired?.status, 'TRIGGERED', 'the gateway has it triggered');
  t.ok(dec(fired?.triggerPrice ?? '0').eq(cross), `still the first crossing's price: ${fired?.triggerPrice}`);
  t.equal(listed.body.alerts.find((a) => a.alertId === alerts.cancelled)?.status, 'CANCELED', 'the cancelled one never fired');
  t.equal(loads, 0, 'no page load in either tab: everything came over the socket');
  t.same(tabProblems, [], 'no console error or warning in the second tab');
  await tabs[1].close();
});

t.test('phone 390×844: ticket first, tables fit, tabs on screen, alerts fit, toasts clear of the ticket', async (t) => {
  const phone = await openPage(browser, PHONE);
  await phone.context.addCookies(await desk.context.cookies());
  const p = phone.page;
  await p.goto(`${ui}/trade/BTCUSDT`);
  await p.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await p.getByTestId('ohlc').waitFor();
  await showTab(p, 'Open orders');
  await panel(p).getByRole('row').filter({ hasText: 'New' }).waitFor();
  const submit = await bottomOnFirstScreen(p, 'form[aria-label="Order ticket"] button[type="submit"]');
  t.ok(submit.bottom <= submit.viewport, `Place order ends at ${submit.bottom} px of a ${submit.viewport} px screen`);
  const legend = await overlap(p, '[data-testid="ohlc"]', '.chart-box');
  t.notOk(legend.overlaps, `the legend is clear of the chart: ${JSON.stringify(legend)}`);
  for (const name of ['Positions', 'Open orders', 'Order history', 'Trades']) {
    await showTab(p, name);
    const box = await p.getByRole('tab', { name, selected: true }).boundingBox();
    t.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, `${name}: the selected tab is on screen`);
    t.same(await widerTables(p), [], `${name}: the table fits its box`);
    t.same(await clippedCells(p), [], `${name}: no clipped cell`);
  }
  // The alerts list as the alert test left it: a triggered, a cancelled and a second triggered alert.
  const alertsPanel = p.getByRole('region', { name: 'Price alerts' });
  await alertsPanel.getByRole('listitem').filter({ hasText: 'cancelled' }).waitFor();
  await alertsPanel.scrollIntoViewIfNeeded();
  t.same(await sidewaysOverflow(p, 'section[aria-labelledby="alerts-title"]'), [], 'nothing in the alerts panel sticks out sideways');
  await alertsPanel.screenshot({ path: screenshotPath('views-alerts-phone.png') });
  await layoutChecks(t, p, 'trade-phone');

  // A fill's toast, with the page at the top where the ticket is.
  await p.evaluate(() => window.scrollTo(0, 0));
  await p.getByLabel('Order type').selectOption('MARKET');
  await p.getByRole('textbox', { name: 'Quantity' }).fill('0.0001');
  await p.getByRole('button', { name: 'Place order' }).click();
  await p.getByRole('status').filter({ hasText: 'Order filled' }).waitFor();
  const toast = await overlap(p, '.toasts', 'form[aria-label="Order ticket"]');
  t.notOk(toast.overlaps, `the toast leaves the ticket uncovered: ${JSON.stringify(toast)}`);
  await p.screenshot({ path: screenshotPath('views-trade-phone-toast.png') });

  // Scrolled down to the tables, the ticket is one tap away.
  await panel(p).scrollIntoViewIfNeeded();

  await p.getByRole('button', { name: 'Sell BTC' }).click();
  await p.getByRole('button', { name: 'Sell', exact: true, pressed: true }).waitFor();
  await eventually(
    async () => {
      const box = await p.locator('form[aria-label="Order ticket"]').boundingBox();
      return box !== null && box.y >= -1 && box.y < PHONE.height / 2;
    },
    30_000,
    'the ticket in view',
  );
  t.pass('the sticky Sell button brought the ticket back with Sell chosen');
  t.same(phone.problems, [], 'no console error or warning on the phone');
  await phone.context.close();
});

/** The alert test's alerts in the auditor's event stream: each set once, one cancelled, one trigger each that fired. */
async function alertHistory(t: Test, p: Page) {
  // The user's whole stream on one page, as an auditor filters it by user (the form's GET).
  await p.goto(`${ui}/audit?user=${alerts.userId}&limit=200`);
  const summary = p.getByRole('status').filter({ hasText: /\d+ events?/ });
  await summary.waitFor();
  t.notMatch(await summary.textContent(), /more on the next page/, `every event of the user on the page: ${await summary.textContent()}`);
  const rows = (type: string, alertId: string) =>
    p
      .getByRole('table')
      .getByRole('row')
      .filter({ has: p.getByRole('link', { name: type, exact: true }) })
      .filter({ hasText: alertId });
  const expected: [string, string, number][] = [
    ['AlertSet', alerts.fired, 1],
    ['AlertSet', alerts.cancelled, 1],
    ['AlertSet', alerts.sentinel, 1],
    ['AlertCancelled', alerts.cancelled, 1],
    ['AlertCancelled', alerts.fired, 0],
    ['AlertTriggered', alerts.fired, 1],
    ['AlertTriggered', alerts.sentinel, 1],
    ['AlertTriggered', alerts.cancelled, 0],
  ];
  for (const [type, alertId, n] of expected) t.equal(await rows(type, alertId).count(), n, `${type} × ${n} for alert ${alertId}`);
  await p.screenshot({ path: screenshotPath('views-alert-audit-desktop.png'), fullPage: true });
}

t.test('settings, schema and audit pages at both sizes', async (t) => {
  const me = await gatewayCall<{ id: string }>(blotter, 'GET', '/api/me', { token });
  await blotter.grant(me.body.id, 'auditor');
  // The gateway caches a session's user (and its roles) for a few seconds: wait until an auditor's
  // endpoint lets this user in (/api/me reads the database, so it would not tell).
  await eventually(
    async () => (await gatewayCall(blotter, 'GET', '/api/audit/users', { token })).status === 200,
    30_000,
    'the gateway to let the new auditor in',
  );
  const pages: [string, string, RegExp][] = [
    ['settings', '/settings', /Venue keys/],
    ['schemas', '/schemas', /Schemas|schema/i],
    ['schema-order-placed', '/schemas/OrderPlaced', /OrderPlaced/],
    ['audit-events', '/audit', /Event stream|Events/i],
    ['audit-orders', '/audit/orders', /Orders/],
    ['audit-positions', '/audit/positions', /Positions/],
    ['audit-verify', '/audit/verify', /Verify/],
  ];
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    // A new session after the grant: roles travel in the session token.
    const view = await openPage(browser, viewport);
    await view.page.goto(`${ui}/login`);
    await view.page.waitForLoadState('networkidle');
    await view.page.getByRole('textbox', { name: 'Email' }).fill(email);
    await view.page.getByLabel('Password').fill(password);
    await view.page.getByRole('button', { name: 'Log in' }).click();
    await view.page.waitForURL((u) => u.pathname !== '/login');
    await layoutChecks(t, view.page, `landing-${size}`);
    for (const [name, path, heading] of pages) {
      const res = await view.page.goto(`${ui}${path}`);
      t.equal(res?.status(), 200, `${path} at ${size}`);
      await view.page.getByRole('heading', { name: heading }).first().waitFor();
      await view.page.waitForLoadState('networkidle');
      await layoutChecks(t, view.page, `${name}-${size}`);
    }
    if (size === 'desktop') {
      await t.test("the alerts are in the auditor's history: set, cancelled, and one trigger each", (t) => alertHistory(t, view.page));
    }
    t.same(view.problems, [], `no console error or warning (${size})`);
    await view.context.close();
  }
});

t.test('the trades API pages with a `before` cursor, as the virtualized Trades table asks', async (t) => {
  type Trades = { trades: { orderId: string; tradeId: string; at: string }[] };
  const all = await gatewayCall<Trades>(blotter, 'GET', '/api/trades?limit=500', { token });
  t.ok(all.body.trades.length >= 2, `${all.body.trades.length} trades, newest first`);
  const [newest] = all.body.trades;
  const key = `${newest?.orderId}:${newest?.tradeId}`;
  const older = await gatewayCall<Trades>(blotter, 'GET', `/api/trades?limit=500&before=${encodeURIComponent(key)}`, { token });
  t.same(older.body.trades, all.body.trades.slice(1), 'every trade after the cursor, in the same order');
  const page = await gatewayCall<Trades>(blotter, 'GET', `/api/trades?limit=1&before=${encodeURIComponent(key)}`, { token });
  t.same(page.body.trades, all.body.trades.slice(1, 2), 'one page');
  const unknown = `00000000-0000-4000-8000-000000000000:${newest?.tradeId}`;
  const none = await gatewayCall<Trades>(blotter, 'GET', `/api/trades?before=${encodeURIComponent(unknown)}`, { token });
  t.same(none.body.trades, [], "a cursor that is not the caller's trade gives an empty page");
  const bad = await gatewayCall<{ error: { code: string } }>(blotter, 'GET', '/api/trades?before=nope', { token });
  t.equal(bad.status, 400, 'a malformed cursor is refused');
  t.equal(bad.body.error.code, 'VALIDATION_FAILED');
});

t.test('no console error or warning on the desktop page along the way', async (t) => {
  t.same(desk.problems, []);
});
