#!/usr/bin/env node
// `make test`: every test suite (unit, integration against the real NATS and Postgres that
// `make up` resolved, end-to-end in a real browser) in one tap run, so that tap keeps both cores
// busy to the last file instead of waiting at each suite's end. While it runs, one line per test
// file; at the end the time of each suite (a package: services/gateway, ui, tests/scaling…), the
// slowest files, the wall-clock total, and the one summary line CI and people read:
// `N passed, N failed`. The full TAP stream is kept in .data/test-results.tap.
//
// Tiers are in the file names: *.test.ts unit, *.int.test.ts integration, *.e2e.test.ts whole
// system. Long suites live behind their own targets and are excluded here:
// *.faults.test.ts (`make test-faults`, `make test-cluster`), *.soak.test.ts (`make soak`).
// Arguments filter the files by substring (`node infra/bin/test.mjs services/gateway api.int`).
// TEST_JOBS sets how many files run at once (default: the machine's cores, at least 2).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '../..');
const roots = ['schemas', 'services', 'ui', 'tests'];
const skipDirs = new Set(['node_modules', '.svelte-kit', 'build', 'dist', '.tap']);
const longSuites = /\.(faults|soak)\.test\.ts$/;
const only = process.argv.slice(2);
const jobs = Number(process.env.TEST_JOBS) || Math.max(2, availableParallelism());

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (skipDirs.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (path.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

/** The suite of a test file: its package (services/gateway, tests/scaling) or top folder (ui, schemas). */
const suiteOf = (file) => {
  const parts = file.split('/');
  return parts[0] === 'services' || parts[0] === 'tests' ? `${parts[0]}/${parts[1]}` : (parts[0] ?? file);
};

let files = roots.flatMap((r) => {
  try {
    return walk(join(root, r), []);
  } catch {
    return [];
  }
});
files = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files.filter((f) => !longSuites.test(f));
// tap runs its files in name order whatever order they are given in.
files.sort();
const suites = new Map();
for (const f of files) {
  const s = suiteOf(f);
  if (!suites.has(s)) suites.set(s, { files: 0, done: 0, failed: [], ms: 0 });
  suites.get(s).files++;
}
process.stderr.write(`[test] ${files.length} test files in ${suites.size} suites, ${jobs} at a time\n`);

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const started = Date.now();
mkdirSync(join(root, '.data'), { recursive: true });
const rawPath = join(root, '.data/test-results.tap');
const raw = createWriteStream(rawPath);
const tap = spawn(join(root, 'node_modules/.bin/tap'), ['-R', 'tap', '--no-color', `--jobs=${jobs}`, ...files], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});

// A top-level result line is one file: `ok 3 - services/x/test/y.test.ts # time=1234.5ms`. The
// indented lines before it are that file's own TAP; a failing file's `not ok` lines are shown.
const fileLine = /^(not ok|ok) \d+ - (\S+\.test\.ts)(?: # time=([\d.]+)ms)?/;
let block = [];
let summary = null;
const slowest = [];
/** The `not ok` lines of a file's TAP with their YAML diagnostics (diff, message, source), nothing else. */
function failureLines(lines) {
  const out = [];
  let depth = -1;
  for (const l of lines) {
    const indent = l.length - l.trimStart().length;
    if (/^\s+not ok /.test(l)) {
      depth = indent;
      out.push(l);
    } else if (depth >= 0 && indent > depth && !/^\s+(ok|# Subtest)/.test(l)) out.push(l);
    else depth = -1;
  }
  return out.length ? out : lines;
}

const lines = createInterface({ input: tap.stdout });
lines.on('line', (line) => {
  raw.write(`${line}\n`);
  const summaryMatch = /^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?[^}]*\}/.exec(line);
  if (summaryMatch) summary = summaryMatch;
  const m = fileLine.exec(line);
  if (!m) {
    if (line.startsWith(' ')) block.push(line);
    return;
  }
  const [, verdict, file, time] = m;
  const ms = Number(time ?? 0);
  const suite = suites.get(suiteOf(file));
  if (suite) {
    suite.done++;
    suite.ms += ms;
    if (verdict !== 'ok') suite.failed.push(file);
  }
  slowest.push({ file, ms });
  process.stdout.write(`[test] ${verdict === 'ok' ? 'ok    ' : 'FAILED'} ${secs(ms).padStart(8)}  ${file}\n`);
  if (verdict !== 'ok') for (const l of failureLines(block).slice(0, 80)) process.stdout.write(`         ${l}\n`);
  block = [];
});

tap.on('close', (code) => {
  raw.end();
  const wall = Date.now() - started;
  const width = Math.max(...[...suites.keys()].map((s) => s.length), 5);
  process.stdout.write(`\n[test] time per suite (the sum of its files' times; files run ${jobs} at a time):\n`);
  for (const [name, s] of [...suites.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
    const state = s.failed.length ? `${s.failed.length} FAILED` : s.done === s.files ? 'ok' : `${s.files - s.done} not run`;
    process.stdout.write(`  ${name.padEnd(width)}  ${secs(s.ms).padStart(9)}  ${String(s.files).padStart(3)} files  ${state}\n`);
  }
  process.stdout.write('[test] slowest files:\n');
  for (const { file, ms } of slowest.sort((a, b) => b.ms - a.ms).slice(0, 8)) process.stdout.write(`  ${secs(ms).padStart(9)}  ${file}\n`);
  process.stdout.write(`[test] total ${secs(wall)} wall clock; the full TAP output is in ${relative(root, rawPath)}\n`);
  const passed = Number(summary?.[2] ?? 0);
  // A file that crashed or timed out may fail the run without a failing assertion: still a failure.
  const failed = Math.max(Number(summary?.[3] ?? 0), code === 0 ? 0 : 1);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exit(code ?? 1);
});
