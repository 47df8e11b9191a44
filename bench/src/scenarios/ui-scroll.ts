// 3f. A long history stays fast in the browser: the UI's own browser test of the Order history
// table (ui/test/history.e2e.test.ts) seeds 10,000 orders into its own stack, scrolls the table end
// to end in Chromium, and records the longest task of the table's (scroll handler and render, a
// page's answer, a chunk of rows checked, as the Long Animation Frames API attributes them). The
// test itself checks only what does not depend on the machine's speed (every order paged in, a
// bounded number of DOM rows); the time is judged here, one run of that file per round.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Metric, ScenarioContext } from '../report.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const TEST_FILE = 'ui/test/history.e2e.test.ts';

const Figures = Type.Object({
  orders: Type.Integer(),
  steps: Type.Integer(),
  maxRows: Type.Integer(),
  longestTableTaskMs: Type.Number(),
});

async function runOnce(figuresFile: string): Promise<void> {
  const child = spawn(join(REPO, 'node_modules/.bin/tap'), [TEST_FILE, '-R', 'tap', '--timeout', '600'], {
    cwd: REPO,
    env: { ...process.env, BLOTTER_FIGURES_FILE: figuresFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The end of what it printed (TAP on stdout), to say why when it fails.
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-6000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`${TEST_FILE} failed (exit ${code}):\n${output}`);
}

export async function uiScroll(ctx: ScenarioContext): Promise<Metric[]> {
  const dir = mkdtempSync(join(tmpdir(), 'blotter-bench-scroll-'));
  const rounds: number[] = [];
  let last: Static<typeof Figures> | undefined;
  try {
    for (let r = 0; r < ctx.rounds; r++) {
      ctx.progress.set(`round ${r + 1}/${ctx.rounds}: seeding 10,000 orders and scrolling them in Chromium`);
      const file = join(dir, `round-${r}.json`);
      await runOnce(file);
      last = Value.Parse(Figures, JSON.parse(readFileSync(file, 'utf8')));
      rounds.push(last.longestTableTaskMs);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...rounds].sort((a, b) => a - b);
  return [
    {
      id: 'blotter.scroll',
      label: `longest table task scrolling ${last?.orders.toLocaleString('en-US')} orders in Chromium`,
      unit: 'ms',
      rounds,
      value: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      detail: `${TEST_FILE}: ${last?.steps} scroll steps, at most ${last?.maxRows} rows in the DOM`,
      extra: { maxRows: last?.maxRows, steps: last?.steps },
    },
  ];
}
