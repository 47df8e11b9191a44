// The auditor and the developer against the real Blotter (support/system.ts) in a real Chromium.
// A trader buys twice (through the gateway's API: that is set-up here, the trader's UI has its own
// file); a second user is made an auditor (grantRole, as `blotter users grant` does), logs in,
// browses the event stream with filters and pagination, opens an order's timeline, looks at the
// trader's positions as of a moment between the two fills and live, and runs "Verify now". Then a
// developer, logged out, searches the schema catalog and reads OrderPlaced with its example and
// its version 1.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { isoToUtcInput } from '../src/lib/audit/time.ts';
import { screenshotPath } from './support/browser.ts';
import { openPage, startE2e } from './support/e2e.ts';
import { eventually } from '@blotter/test-kit';
import { gatewayCall } from './support/system.ts';

const { blotter, browser } = await startE2e();

const ui = blotter.uiUrl;
const tag = randomBytes(4).toString('hex');
const trader = { email: `trader-${tag}@example.com`, password: 'correct horse battery' };
const auditor = { email: `auditor-${tag}@example.com`, password: 'staple battery horse' };

interface Order {
  orderId: string;
  status: string;
}

/** A market buy through the gateway, waited on until filled. */
async function buy(token: string, quantity: string): Promise<string> {
  const placed = await gatewayCall<{ order: Order }>(blotter, 'POST', '/api/orders', {
    token,
    body: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity },
  });
  if (placed.status !== 201) throw new Error(`order refused: ${placed.status} ${JSON.stringify(placed.body)}`);
  const id = placed.body.order.orderId;
  await eventually(
    async () => {
      const res = await gatewayCall<{ order: Order }>(blotter, 'GET', `/api/orders/${id}`, { token });
      return res.body.order.status === 'FILLED';
    },
    30_000,
    `order ${id} to fill`,
  );
  return id;
}

const reg = await gatewayCall<{ token: string; user: { id: string } }>(blotter, 'POST', '/api/auth/register', { body: trader });
if (reg.status !== 201) throw new Error(`register: ${reg.status}`);
const firstOrder = await buy(reg.body.token, '0.001');
await buy(reg.body.token, '0.002');
// The read models catch up asynchronously: wait until the live position has both fills.
await eventually(
  async () => {
    const res = await gatewayCall<{ positions: { symbol: string; quantity: string }[] }>(blotter, 'GET', '/api/positions', {
      token: reg.body.token,
    });
    return res.body.positions.some((p) => p.symbol === 'BTCUSDT' && p.quantity === '0.002997');
  },
  30_000,
  'the position of both fills',
);

const { context, page, problems } = await openPage(browser);
const rows = () => page.getByRole('table').first().locator('tbody tr');

t.test('an auditor is granted the role and lands in the audit area after logging in', async (t) => {
  const res = await gatewayCall<{ user: { id: string; roles: string[] } }>(blotter, 'POST', '/api/auth/register', { body: auditor });
  t.equal(res.status, 201);
  t.same(res.body.user.roles, ['trader'], 'everyone starts as a trader');
  await blotter.grant(res.body.user.id, 'auditor');
  await page.goto(`${ui}/login`);
  await page.waitForLoadState('networkidle');
  await page.getByRole('textbox', { name: 'Email' }).fill(auditor.email);
  await page.getByLabel('Password').fill(auditor.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${ui}/audit`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  t.ok(await nav.getByRole('link', { name: 'Audit' }).isVisible(), 'Audit in the main navigation');
  t.equal(await nav.getByRole('link', { name: 'Trade' }).count(), 0, 'an auditor-only account has no trade page link');
  await page.getByRole('heading', { name: 'Event stream' }).waitFor();
});

t.test('the event stream: filters by user and type, then pages with "Next page"', async (t) => {
  await rows().first().waitFor();
  t.ok((await rows().count()) > 5, 'events of everyone, oldest first');
  t.ok(await page.getByRole('cell', { name: 'AccountOpened' }).first().isVisible());

  await page.getByLabel('User', { exact: true }).selectOption({ label: trader.email });
  await page.getByLabel('Event type').selectOption('OrderFilled');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL((u) => u.searchParams.get('type') === 'OrderFilled' && u.searchParams.get('user') === reg.body.user.id);
  await page
    .getByRole('status')
    .filter({ hasText: /^\s*2 events\s*$/ })
    .waitFor();
  t.equal(await rows().count(), 2, "the trader's two fills");
  for (let i = 0; i < 2; i++) {
    t.match(await rows().nth(i).textContent(), new RegExp(`OrderFilled.*${trader.email}`), `row ${i + 1}: type and user`);
  }
  t.equal(await page.getByLabel('Event type').inputValue(), 'OrderFilled', 'the form shows the filters in force');
  await page.screenshot({ path: screenshotPath('audit-events-desktop.png'), fullPage: true });

  // Pagination: 10 per page over everything.
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await page.waitForURL(`${ui}/audit`);
  await page.getByLabel('Per page').selectOption('10');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL((u) => u.searchParams.get('limit') === '10');
  await page.getByRole('status').filter({ hasText: '10 events, more on the next page' }).waitFor();
  // A row as "seq type", enough to tell events apart within one user's stream.
  const rowKeys = async () =>
    rows().evaluateAll((trs) => trs.map((tr) => `${tr.children[0]?.textContent?.trim()} ${tr.children[2]?.textContent?.trim()}`));
  const page1 = await rowKeys();
  t.equal(page1.length, 10);
  const nextLink = page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: 'Next page' });
  await nextLink.click();
  await page.waitForURL((u) => u.searchParams.has('after'));
  await page.getByRole('status').filter({ hasText: ' from #' }).waitFor();
  const page2 = await rowKeys();
  t.ok(page2.length > 0, 'a second page');
  t.ok(Number(page2[0]?.split(' ')[0]) >= Number(page1.at(-1)?.split(' ')[0]), 'page 2 goes on where page 1 ended');
  t.notOk(
    page2.some((k) => page1.includes(k)),
    'nothing twice',
  );

  // Three per page through the trader's events: a page ends inside a commit holding two events
  // (OrderAccepted and OrderFilled are one commit), and the rest of it still comes next.
  await page.goto(`${ui}/audit?user=${encodeURIComponent(trader.email)}&limit=3`);
  const paged: string[] = [];
  for (let n = 0; n < 10; n++) {
    await rows().first().waitFor();
    paged.push(...(await rowKeys()));
    if ((await nextLink.count()) === 0) break;
    const before = page.url();
    await nextLink.click();
    await page.waitForURL((u) => u.toString() !== before);
  }
  t.same(
    paged.map((k) => k.split(' ')[1]),
    ['AccountOpened', 'OrderPlaced', 'OrderAccepted', 'OrderFilled', 'OrderPlaced', 'OrderAccepted', 'OrderFilled'],
    "3 per page: all 7 of the trader's events, each once, in order",
  );
  t.ok(await page.getByRole('link', { name: 'First page' }).isVisible());
});

let between = '';

t.test("an order's timeline, opened from the stream", async (t) => {
  await page.goto(`${ui}/audit?user=${encodeURIComponent(trader.email)}&type=OrderFilled`);
  await page
    .getByRole('status')
    .filter({ hasText: /^\s*2 events\s*$/ })
    .waitFor();
  // The moment between the two fills, from their stored times on screen.
  const stored = await rows()
    .locator('time')
    .evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
  const [a, b] = stored.map((s) => Date.parse(s));
  t.ok(a !== undefined && b !== undefined && b - a > 1, `two fills apart in time: ${stored.join(', ')}`);
  between = new Date(Math.floor(((a ?? 0) + (b ?? 0)) / 2)).toISOString();

  await rows()
    .first()
    .getByRole('link', { name: /^Order / })
    .click();
  await page.waitForURL(`**/audit/orders/${firstOrder}`);
  const timeline = page.getByRole('list', { name: 'Events' });
  for (const type of ['OrderPlaced', 'OrderAccepted', 'OrderFilled']) {
    await timeline.getByText(type, { exact: true }).waitFor();
    t.pass(type);
  }
  t.match(await page.getByRole('heading', { level: 1 }).textContent(), /Buy\s+0\.001 BTCUSDT · Filled/);
  t.ok(await page.getByText(trader.email).first().isVisible(), "the order's owner");
  await page.screenshot({ path: screenshotPath('audit-order-timeline-desktop.png'), fullPage: true });
});

t.test("the orders list narrows to the trader's orders", async (t) => {
  await page.getByRole('navigation', { name: 'Audit' }).getByRole('link', { name: 'Orders' }).click();
  await page.waitForURL('**/audit/orders');
  await page.getByLabel('User', { exact: true }).selectOption({ label: trader.email });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL((u) => u.searchParams.get('user') === reg.body.user.id);
  await rows().filter({ hasText: trader.email }).nth(1).waitFor();
  t.equal(await rows().count(), 2, 'two orders');
  t.equal(await rows().filter({ hasText: 'Filled' }).count(), 2, 'both filled');
});

t.test("the trader's positions as of a moment between the fills, then live", async (t) => {
  await page.getByRole('navigation', { name: 'Audit' }).getByRole('link', { name: 'Positions & balances' }).click();
  await page.waitForURL('**/audit/positions');
  await page.getByLabel('User', { exact: true }).selectOption({ label: trader.email });
  await page.getByLabel('As of (UTC)').fill(isoToUtcInput(between));
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL((u) => u.searchParams.get('at') !== null);
  const status = page.getByRole('status').filter({ hasText: 'as of' });
  await status.waitFor();
  t.match(await status.textContent(), new RegExp(`${trader.email}.*as of ${between.replace('T', ' ').replace('Z', '')} UTC`));
  const positions = page.getByRole('table', { name: 'Positions' });
  const btc = positions.getByRole('row').filter({ hasText: 'BTCUSDT' });
  await btc.waitFor();
  // 0.001 less the 0.000001 BTC fee is 0.000999: shown truncated at the 0.00001 step, never 0.00100.
  t.equal((await btc.getByRole('cell').nth(1).textContent())?.trim(), '0.00099', 'only the first fill (0.001 less the fee in BTC)');
  t.ok(await page.getByRole('table', { name: 'Balances' }).getByRole('cell', { name: 'USDT', exact: true }).isVisible(), 'balances then');
  await page.screenshot({ path: screenshotPath('audit-positions-asof-desktop.png'), fullPage: true });

  await page.getByRole('link', { name: 'Now (live)' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).filter({ hasText: trader.email }).waitFor();
  await positions
    .getByRole('row')
    .filter({ hasText: 'BTCUSDT' })
    .filter({ has: page.getByRole('cell', { name: '0.00299', exact: true }) })
    .waitFor();
  t.pass('live: both fills');
  t.equal(await page.getByLabel('As of (UTC)').inputValue(), '', 'the picker is back to now');
});

t.test('"Verify now" shows a clean report', async (t) => {
  await page.getByRole('navigation', { name: 'Audit' }).getByRole('link', { name: 'Verify' }).click();
  await page.waitForURL('**/audit/verify');
  await page.getByRole('button', { name: 'Verify now' }).click();
  const verdict = page.getByRole('heading', { level: 2 }).filter({ hasText: /^(OK|FAILED)/ });
  await verdict.waitFor({ timeout: 60_000 });
  t.match(await verdict.textContent(), /^OK/, 'OK');
  const tables = page.getByRole('table', { name: 'Tables' });
  for (const name of ['orders', 'trades', 'balances', 'positions']) {
    t.match(await tables.getByRole('row', { name: new RegExp(`^${name}\\b`) }).textContent(), /OK\s*$/, `${name} matches its rebuild`);
  }
  t.ok(await page.getByText('None: every commit links to the hash of the one before it.').isVisible(), 'no broken links');
  await page.screenshot({ path: screenshotPath('audit-verify-desktop.png'), fullPage: true });
  t.same(
    problems.filter((p) => !/Failed to load resource/.test(p)),
    [],
    'no script errors or CSP violations in the audit area',
  );
});

t.test('every audited read is on the record', async (t) => {
  await page.goto(`${ui}/audit?type=AuditAccessed&limit=200`);
  await rows().first().waitFor();
  const text = (await rows().allTextContents()).join('\n');
  for (const resource of ['GET /api/audit/events', 'GET /api/audit/positions', 'POST /api/audit/verify']) {
    t.ok(text.includes(resource), resource);
  }
});

t.test('the audit area at 390 px', async (t) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await phone.addCookies(await context.cookies());
  const p = await phone.newPage();
  await p.goto(`${ui}/audit?user=${encodeURIComponent(trader.email)}`);
  await p.getByRole('heading', { name: 'Event stream' }).waitFor();
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  t.equal(overflow, 0, 'no horizontal page scroll (wide tables scroll in their box)');
  await p.screenshot({ path: screenshotPath('audit-events-phone.png'), fullPage: true });
  await phone.close();
});

t.test('developer: the schema catalog, searched, and OrderPlaced with its example and v1', async (t) => {
  // The catalog is public, as on the gateway: a fresh context without a session.
  const dev = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p = await dev.newPage();
  await p.goto(`${ui}/schemas`);
  await p.getByRole('heading', { name: 'Schema catalog' }).waitFor();
  await p.waitForLoadState('networkidle');
  const total = await p.getByRole('main').getByRole('listitem').count();
  t.ok(total > 20, `the whole catalog: ${total} schemas`);
  await p.getByRole('searchbox', { name: 'Search schemas' }).fill('OrderPlaced');
  await p.getByRole('link', { name: 'OrderFilled', exact: true }).waitFor({ state: 'detached' });
  t.ok(await p.getByRole('link', { name: 'OrderPlaced', exact: true }).isVisible(), 'found');
  const counts =
    (
      await p
        .getByRole('status')
        .filter({ hasText: / of \d+ schemas/ })
        .textContent()
    )?.match(/\d+/g) ?? [];
  t.ok(Number(counts[0]) >= 1 && Number(counts[0]) < Number(counts[1]), `narrowed down: ${counts.join(' of ')}`);
  t.equal(new URL(p.url()).searchParams.get('q'), 'OrderPlaced', 'the search is in the URL');
  await p.getByRole('searchbox', { name: 'Search schemas' }).fill('');
  await p.getByLabel('Kind').selectOption({ label: 'Commands' });
  t.ok(await p.getByRole('link', { name: 'PlaceOrder', exact: true }).isVisible(), 'by kind');
  t.equal(await p.getByRole('link', { name: 'OrderPlaced', exact: true }).count(), 0);
  await p.getByLabel('Kind').selectOption('');
  await p.screenshot({ path: screenshotPath('schemas-desktop.png') });

  await p.getByRole('link', { name: 'OrderPlaced', exact: true }).click();
  await p.waitForURL('**/schemas/OrderPlaced');
  await p.getByRole('heading', { level: 1, name: 'OrderPlaced' }).waitFor();
  const props = p.getByRole('table', { name: 'Properties of OrderPlaced' });
  for (const name of ['orderId', 'quantity', 'baseAsset', 'reserved.amount']) {
    await props.getByRole('rowheader', { name, exact: true }).waitFor();
  }
  t.match(
    await props
      .getByRole('row')
      .filter({ has: p.getByRole('rowheader', { name: 'side', exact: true }) })
      .textContent(),
    /"BUY" \| "SELL".*required/,
  );
  t.match(await p.getByRole('region', { name: 'Example' }).textContent(), /"clientOrderId": "my-bot-000123"/, 'the example as JSON');
  const v1 = p.getByRole('region', { name: /^Version 1/ });
  t.match(await v1.textContent(), /Added after v1: .*baseAsset/, 'what changed since v1');
  await v1.getByText('Properties of version 1').click();
  t.ok(await v1.getByRole('rowheader', { name: 'reserved', exact: true }).isVisible(), "v1's properties");
  t.equal(await v1.getByRole('rowheader', { name: 'baseAsset', exact: true }).count(), 0, 'v1 had no baseAsset');
  await p.screenshot({ path: screenshotPath('schema-orderplaced-desktop.png'), fullPage: true });

  await v1.getByRole('link', { name: 'open' }).click();
  await p.waitForURL('**/schemas/OrderPlaced.v1');
  await p.getByText('older version · current is').waitFor();
  t.equal(await p.getByRole('table', { name: 'Properties of OrderPlaced' }).getByRole('rowheader', { name: 'baseAsset' }).count(), 0);
  await dev.close();

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const q = await phone.newPage();
  await q.goto(`${ui}/schemas`);
  await q.getByRole('link', { name: 'OrderPlaced', exact: true }).waitFor();
  t.equal(
    await q.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
    'the catalog fits 390 px',
  );
  await q.screenshot({ path: screenshotPath('schemas-phone.png') });
  await q.goto(`${ui}/schemas/OrderPlaced`);
  await q.getByRole('heading', { level: 1, name: 'OrderPlaced' }).waitFor();
  t.equal(await q.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'a schema fits 390 px');
  await q.screenshot({ path: screenshotPath('schema-orderplaced-phone.png') });
  await phone.close();
});
