// A long history stays fast: 10,000 orders' events are appended straight to this test's own stream
// (one OrderDenied commit each, as the gateway records a denied order), the projector builds the
// orders read model from them, and a trader scrolls the Order history table from the newest order
// to the oldest in a real Chromium. The table pages older orders from the API (`before` cursor) as
// it goes and keeps only the rows in view in the DOM: the count of rendered rows stays bounded.
// How long the table's tasks hold the main thread (scroll handler and render, a page's answer, a
// chunk of rows checked, as the Long Animation Frames API attributes them) is a speed figure, so it
// is reported here and judged by the bench: row 3f runs this file and reads the figures it writes
// to $BLOTTER_FIGURES_FILE (target: no task over 50 ms).
import { writeFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DomainEvent } from '@blotter/schemas';
import t from 'tap';
import { screenshotPath } from './support/browser.ts';
import { openPage, startE2e } from './support/e2e.ts';
import { eventually } from '@blotter/test-kit';
import { gatewayCall } from './support/system.ts';

const ORDERS = 10_000;
const { blotter, browser } = await startE2e();
const { store } = blotter.stack;
const email = `history-${randomBytes(4).toString('hex')}@example.com`;
const password = 'correct horse battery';
const reg = await gatewayCall<{ token: string; user: { id: string } }>(blotter, 'POST', '/api/auth/register', {
  body: { email, password },
});
const userId = reg.body.user.id;
const token = reg.body.token;
const ids: string[] = [];

t.test(`${ORDERS} orders' events appended to the stream are projected`, async (t) => {
  const started = Date.now();
  // One order a minute, the oldest first, ending an hour ago.
  const first = Date.now() - (ORDERS + 60) * 60_000;
  for (let i = 0; i < ORDERS; i++) ids.push(randomUUID());
  const append = (i: number) => {
    const orderId = ids[i] as string;
    const event = {
      type: 'OrderDenied',
      data: {
        orderId,
        userId,
        clientOrderId: null,
        symbol: 'BTCUSDT',
        side: i % 2 ? 'BUY' : 'SELL',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: String(40_000 + (i % 1000)),
        stopPrice: null,
        venue: 'paper',
        code: 'INSUFFICIENT_BALANCE',
        reason: `seeded order ${i}`,
        field: 'quantity',
        filter: null,
      },
    } as DomainEvent;
    const meta = {
      commitId: randomUUID(),
      subject: store.subjects.order(userId, orderId),
      aggregateId: orderId,
      userId,
      occurredAt: new Date(first + i * 60_000).toISOString(),
    };
    return store.append(meta, [event], 0, null);
  };
  for (let i = 0; i < ORDERS; i += 100) await Promise.all(Array.from({ length: Math.min(100, ORDERS - i) }, (_, k) => append(i + k)));
  t.comment(`appended in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const newest = ids.at(-1);
  await eventually(
    async () => {
      const res = await gatewayCall<{ orders: { orderId: string }[] }>(blotter, 'GET', '/api/orders?status=closed&limit=1', { token });
      return res.body.orders[0]?.orderId === newest;
    },
    300_000,
    'the projector to reach the newest seeded order',
  );
  t.comment(`projected after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  t.pass('projected');
});

t.test('the Order history table scrolls end to end with a bounded number of DOM rows', async (t) => {
  const { context, page, problems } = await openPage(browser);
  await context.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
    // What ran in each long animation frame (Chromium's LoAF): which script, for how long.
    const v = window as unknown as { longFrames: { duration: number; scripts: { invoker: string; duration: number }[] }[] };
    v.longFrames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as {
        duration: number;
        blockingDuration: number;
        scripts: { invoker: string; sourceFunctionName: string; duration: number; sourceURL: string }[];
      }[]) {
        if (e.blockingDuration > 0) {
          const scripts = e.scripts.map((x) => ({
            invoker: `${x.invoker} ${x.sourceFunctionName}`.trim(),
            duration: Math.round(x.duration),
          }));
          v.longFrames.push({ duration: Math.round(e.duration), scripts });
        }
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
  await page.goto(`${blotter.uiUrl}/login`);
  await page.waitForLoadState('networkidle');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/trade/BTCUSDT');
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.getByRole('tab', { name: 'Order history' }).click();
  const box = page.getByRole('region', { name: /^Order history, \d+ rows loaded$/ });
  await box.waitFor();
  await box.getByRole('row').filter({ hasText: 'Denied' }).first().waitFor();
  // Let the page settle (hydration, the chart's first draw), then count only what scrolling costs.
  await page.waitForLoadState('networkidle');
  const clearLongTasks = () =>
    page.evaluate(() => {
      (window as unknown as { longTasks: number[]; longFrames: unknown[] }).longTasks = [];
      (window as unknown as { longTasks: number[]; longFrames: unknown[] }).longFrames = [];
    });
  const readLongTasks = () => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.map(Math.round));
  // What the page costs while nobody scrolls (the live chart, the socket), for comparison.
  await clearLongTasks();
  await page.waitForTimeout(5000);
  t.comment(`long tasks in 5 s without scrolling: ${JSON.stringify(await readLongTasks())}`);
  await clearLongTasks();
  const scrollStarted = Date.now();

  let maxRows = 0;
  let steps = 0;
  for (;;) {
    const state = await box.evaluate(async (el) => {
      el.scrollTop += el.clientHeight * 4;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const rows = el.querySelectorAll('tbody > tr:not(.pad)').length;
      const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      return { rows, atEnd, label: el.getAttribute('aria-label') ?? '', busy: el.getAttribute('aria-busy') === 'true' };
    });
    steps++;
    maxRows = Math.max(maxRows, state.rows);
    const loaded = Number(/, (\d+) rows loaded/.exec(state.label)?.[1] ?? 0);
    if (state.atEnd && !state.busy && loaded >= ORDERS) break;
    if (steps > 5000) throw new Error(`no end after ${steps} steps: ${state.label}`);
    // At the end of what is loaded, wait for the next page rather than spinning.
    if (state.atEnd) await page.waitForTimeout(50);
  }
  t.comment(`${steps} scroll steps in ${((Date.now() - scrollStarted) / 1000).toFixed(1)} s`);
  const label = (await box.getAttribute('aria-label')) ?? '';
  t.equal(label, `Order history, ${ORDERS} rows loaded`, 'every seeded order was paged in');
  t.ok(maxRows > 10 && maxRows <= 80, `at most ${maxRows} rows in the DOM at any time, for ${ORDERS} orders`);
  const lastRow = box.getByRole('row').filter({ hasText: 'Denied' }).last();
  const oldest = await gatewayCall<{ order: { createdAt: string } }>(blotter, 'GET', `/api/orders/${ids[0]}`, { token });
  const shown = (await lastRow.getByRole('cell').first().textContent())?.trim();
  t.equal(shown, oldest.body.order.createdAt.replace('T', ' ').slice(0, 19), 'the last row is the oldest order');
  const longTasks = await readLongTasks();
  t.comment(`long tasks while scrolling: ${JSON.stringify(longTasks)}`);
  type Frame = { duration: number; scripts: { invoker: string; duration: number }[] };
  const frames = await page.evaluate(() => (window as unknown as { longFrames: Frame[] }).longFrames);
  t.comment(
    `long frames: ${frames.map((f) => `${f.duration} ms [${f.scripts.map((x) => `${x.invoker} ${x.duration}`).join(', ')}]`).join('; ')}`,
  );
  // The table's own work in one task: the scroll handler (with the render it triggers), a page's
  // answer, a chunk of rows checked. The live page alone (socket messages, the chart's frames) makes
  // the odd long task while nobody scrolls (the comment above), so the figure is the longest script
  // of the table's kinds.
  const tableScripts = frames.flatMap((f) => f.scripts).filter((x) => /onscroll|Response\.json|TimerHandler/.test(x.invoker));
  const longestTableTaskMs = Math.max(0, ...tableScripts.map((x) => x.duration));
  t.comment(`longest task of the table's while scrolling: ${longestTableTaskMs} ms (bench row 3f judges it)`);
  const figuresFile = process.env.BLOTTER_FIGURES_FILE;
  if (figuresFile) {
    writeFileSync(figuresFile, JSON.stringify({ orders: ORDERS, steps, maxRows, longestTableTaskMs, longTasks, tableScripts }));
  }
  await page.screenshot({ path: screenshotPath('history-10k-end.png') });
  t.same(problems, [], 'no console error or warning');
  await context.close();
});
