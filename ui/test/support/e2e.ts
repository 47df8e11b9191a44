// The start of every e2e file: a whole Blotter (system.ts) and a Chromium (browser.ts), both stopped when tap is done.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import t from 'tap';
import { ensureChromium, launchBrowser } from './browser.ts';
import { type Blotter, startBlotter } from './system.ts';

export async function startE2e(): Promise<{ blotter: Blotter; browser: Browser }> {
  // A whole system per file and up to ~150 s of browser flows: a guard against a hang, not a speed target.
  t.setTimeout(600_000);
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

export const DESKTOP = { width: 1440, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/**
 * A page (desktop-sized unless told) whose uncaught errors, console errors and console warnings
 * (Svelte's binding_property_non_reactive is one) are collected in `problems`.
 */
export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: viewport.width < 600 ? 2 : 1 });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  return { context, page, problems: watchProblems(page) };
}

/** Collects a page's uncaught errors, console errors and console warnings (a second tab gets its own list). */
export function watchProblems(page: Page, problems: string[] = []): string[] {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // With the resource's address: "Failed to load resource" alone does not say which one.
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
  });
  return problems;
}
