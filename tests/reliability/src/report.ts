// Printing figures: a two-column table, also saved under tests/reliability/results/ (git-ignored)
// so the last run of each scenario can be pasted into docs/RELIABILITY.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@blotter/test-kit';

export function table(title: string, rows: [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  const line = '-'.repeat(Math.min(100, title.length + 6));
  return [`-- ${title} --`, ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), line].join('\n');
}

export function saveSummary(label: string, summary: string, details?: unknown): void {
  try {
    const dir = join(repoRoot, 'tests/reliability/results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${label}.txt`), `${new Date().toISOString()}\n${summary}\n`);
    if (details !== undefined) writeFileSync(join(dir, `${label}.json`), JSON.stringify(details, null, 2));
  } catch {}
}
