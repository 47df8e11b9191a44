// Every toast a page shows, recorded as it appears: toasts leave after a few seconds, so "shown
// exactly once" cannot be read off the DOM afterwards. A MutationObserver in the page keeps the
// text of each toast added to the Notifications region (the record dies with a reload, which the
// tests that use it rule out anyway).
import type { Page } from 'playwright-core';

/** Starts recording; the returned function reads the toasts' texts seen so far, oldest first. */
export async function recordToasts(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const region = document.querySelector('section[aria-label="Notifications"]');
    if (!region) throw new Error('no Notifications region on the page');
    const seen: string[] = [];
    (window as unknown as { seenToasts: string[] }).seenToasts = seen;
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) if (n instanceof HTMLElement && n.classList.contains('toast')) seen.push(n.textContent ?? '');
      }
    }).observe(region, { childList: true });
  });
  return () => page.evaluate(() => [...((window as unknown as { seenToasts?: string[] }).seenToasts ?? [])]);
}
