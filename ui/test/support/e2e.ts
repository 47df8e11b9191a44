// The start of every e2e file: a whole Blotter (system.ts) and a Chromium (browser.ts), both stopped when tap is done.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import t from 'tap';
import { ensureChromium, launchBrowser } from './browser.ts';
import { type Blotter, startBlotter } from './system.ts';

export async function startE2e(): Promise<{ blotter: Blotter; browser: Browser }> {
  // A whole system per file, on a busy machine: more than tap's default budget.
  t.setTimeout(360_000);
  ensureChromium();
  const started = Date.now();
  const blotter = await startBlotter();
  t.comment(
    `Blotter up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${blotter.timings} (ui ${blotter.uiUrl}, namespace ${blotter.namespace})`,
  );
  const browser = await launchBrowser();
  t.teardown(async () => {
    await browser.close().catch(() => undefined);
    await blotter.stop();
  });
  return { blotter, browser };
}

/** A desktop-sized page whose uncaught errors and console errors are collected in `problems`. */
export async function openPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return { context, page, problems };
}
