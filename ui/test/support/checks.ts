// DOM checks for the defects a person found in issue 20, measured in the real browser: what
// overflows, what overlaps, what is below the fold; plus an axe-core accessibility scan. Each
// returns what it found (not a boolean), so a failing assertion says what is wrong where.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** How far the page is wider than the screen (0 when nothing scrolls sideways). */
export const pageOverflow = (page: Page): Promise<number> =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Tables wider than the box they sit in (a table inside a horizontal scroller counts: its columns are cut off). */
export const widerTables = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('table')]
      .filter((t) => t.getClientRects().length > 0)
      .map((t) => {
        const box = t.parentElement as HTMLElement;
        const label = t.querySelector('caption')?.textContent ?? t.getAttribute('aria-labelledby') ?? 'table';
        return { label, table: Math.round(t.getBoundingClientRect().width), box: box.clientWidth };
      })
      .filter((x) => x.table > x.box + 1)
      .map((x) => `${x.label}: ${x.table} px in a ${x.box} px box`),
  );

/** Header cells whose text is clipped (the Balances "Locked" heading showed as "l"). */
export const clippedCells = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('th, td')]
      .filter((c) => c.getClientRects().length > 0)
      .filter((c) => (c as HTMLElement).scrollWidth > (c as HTMLElement).clientWidth + 1)
      .map((c) => (c.textContent ?? '').trim()),
  );

/**
 * What sticks out of a box sideways: the box past the screen's right edge, the box scrolling
 * sideways, or anything inside it past its left or right edge (a long note or price cut off).
 */
export const sidewaysOverflow = (page: Page, selector: string): Promise<string[]> =>
  page.evaluate((sel) => {
    const box = document.querySelector(sel);
    if (!box) throw new Error(`missing ${sel}`);
    const r = box.getBoundingClientRect();
    const found: string[] = [];
    if (r.right > document.documentElement.clientWidth + 1) found.push(`${sel} ends at ${Math.round(r.right)} px`);
    if (box.scrollWidth > box.clientWidth + 1) found.push(`${sel} scrolls sideways: ${box.scrollWidth} px in ${box.clientWidth} px`);
    for (const e of box.querySelectorAll('*')) {
      if (e.getClientRects().length === 0) continue;
      const b = e.getBoundingClientRect();
      if (b.left < r.left - 1 || b.right > r.right + 1) {
        found.push(
          `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 40)}" spans ${Math.round(b.left)}–${Math.round(b.right)} px`,
        );
      }
    }
    return found;
  }, selector);

/** Whether two elements' boxes intersect, and the boxes (for the message). */
export const overlap = (page: Page, a: string, b: string): Promise<{ overlaps: boolean; a: unknown; b: unknown }> =>
  page.evaluate(
    ([sa, sb]) => {
      const ra = document.querySelector(sa)?.getBoundingClientRect();
      const rb = document.querySelector(sb)?.getBoundingClientRect();
      if (!ra || !rb) throw new Error(`missing ${ra ? sb : sa}`);
      const overlaps = ra.left < rb.right && rb.left < ra.right && ra.top < rb.bottom && rb.top < ra.bottom;
      // No helper function in here: a transpiler's keepNames would wrap it in a __name() the page lacks.
      return {
        overlaps,
        a: [ra.left, ra.top, ra.right, ra.bottom].map(Math.round),
        b: [rb.left, rb.top, rb.right, rb.bottom].map(Math.round),
      };
    },
    [a, b] as const,
  );

/** Where an element's box ends, relative to the viewport's height, with the page scrolled to the top. */
export const bottomOnFirstScreen = (page: Page, selector: string): Promise<{ bottom: number; viewport: number }> =>
  page.evaluate((sel) => {
    window.scrollTo(0, 0);
    const r = document.querySelector(sel)?.getBoundingClientRect();
    if (!r) throw new Error(`missing ${sel}`);
    return { bottom: Math.round(r.bottom), viewport: window.innerHeight };
  }, selector);

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2 A/AA rules on the page as it is; the serious and critical violations, one line
 * each. The script is evaluated over the DevTools protocol, which the page's CSP does not govern,
 * so the page is scanned with its real CSP in force.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is a global the evaluated script defined.
    const axe = (window as any).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return (r.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
}
