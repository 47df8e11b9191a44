#!/usr/bin/env node
// `make test`: every test suite (unit, integration against the real NATS and Postgres that
// `make up` resolved, end-to-end in a real browser). While it runs, one line per test file; at the
// end the time of each suite (a package: services/gateway, ui, tests/scaling…) with the CPU its
// processes used, the slowest files, the wall-clock total, and the one summary line CI and people
// read: `N passed, N failed`. The full TAP stream is kept in .data/test-results.tap.
//
// Tiers are in the file names: *.test.ts unit, *.int.test.ts integration, *.e2e.test.ts whole
// system. Long suites live behind their own targets and are excluded here:
// *.faults.test.ts (`make test-faults`, `make test-cluster`), *.soak.test.ts (`make soak`).
// Arguments filter the files by substring (`node infra/bin/test.mjs services/gateway api.int`).
// TEST_JOBS sets how many tap runs go at once (default: one more than the machine's cores, since
// the integration files spend part of their time waiting on restarts, leases and timers: with two
// runs on two cores, a fresh-clone run used 1.56 cores on average).
//
// Longest first. tap runs the files it is given in name order, so one tap over everything would
// start the browser suites (ui/) last and end with one core idle behind them. Instead the files
// are cut into jobs, each its own tap run (--jobs=1), started longest first as slots free up: a
// slow file is a job of its own, quick files share one per suite, so the last jobs to start are
// short. How long a file takes comes from the last run on this clone (.data/test-times.json) or,
// on a fresh clone, from its tier.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { exitWhenWritten } from '../lib/exit.mjs';

const root = resolve(import.meta.dirname, '../..');
const roots = ['schemas', 'services', 'ui', 'tests'];
const skipDirs = new Set(['node_modules', '.svelte-kit', 'build', 'dist', '.tap']);
const longSuites = /\.(faults|soak)\.test\.ts$/;
const only = process.argv.slice(2);
const slots = Number(process.env.TEST_JOBS) || availableParallelism() + 1;

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
files.sort();
const suites = new Map();
for (const f of files) {
  const s = suiteOf(f);
  if (!suites.has(s)) suites.set(s, { files: 0, done: 0, failed: [], ms: 0, cpuMs: 0 });
  suites.get(s).files++;
}
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
mkdirSync(join(root, '.data'), { recursive: true });
const timesPath = join(root, '.data/test-times.json');
const rawPath = join(root, '.data/test-results.tap');

/** The expected time of each file: its last time on this clone, or its tier's guess. */
const lastTimes = (() => {
  try {
    return JSON.parse(readFileSync(timesPath, 'utf8'));
  } catch {
    return {};
  }
})();
const tierGuess = (f) =>
  f.endsWith('.e2e.test.ts') ? 150_000 : f.endsWith('.int.test.ts') ? (f.startsWith('tests/') ? 60_000 : 15_000) : 3_000;
const expected = (f) => lastTimes[f] ?? tierGuess(f);

/** Files expected to take this long run as a job of their own; quicker ones share jobs of about
 * SHARED_JOB_MS each, by suite. */
const OWN_JOB_MS = 20_000;
const SHARED_JOB_MS = 45_000;
const jobs = [];
const open = new Map();
for (const f of files) {
  const ms = expected(f);
  if (ms >= OWN_JOB_MS) {
    jobs.push({ files: [f], ms });
    continue;
  }
  const s = suiteOf(f);
  let job = open.get(s);
  if (!job || job.ms + ms > SHARED_JOB_MS) {
    job = { files: [], ms: 0 };
    open.set(s, job);
    jobs.push(job);
  }
  job.files.push(f);
  job.ms += ms;
}
jobs.sort((a, b) => b.ms - a.ms);
// The browser suites need Chromium and the UI's production build. The first of them to start
// would build it while the others wait on its lock, each holding a slot idle; so the build is a
// job of its own, first in line, and the browser files start once it is done while the other
// slots run what does not need it.
const browserFiles = (job) => job.files.some((f) => f.startsWith('ui/') && f.endsWith('.e2e.test.ts'));
if (jobs.some(browserFiles)) {
  const prepare = { prepare: true, files: [], ms: 60_000 };
  for (const job of jobs) if (browserFiles(job)) job.after = prepare;
  jobs.unshift(prepare);
}
process.stderr.write(
  `[test] ${files.length} test files in ${suites.size} suites: ${jobs.length} tap runs, ${slots} at a time, longest first\n`,
);

/** The children's user + system CPU from bash's `times` (its second line: `0m12.345s 0m1.234s`). */
function childCpuMs(text) {
  const line = text.trim().split('\n')[1] ?? '';
  let ms = 0;
  for (const [, m, sec] of line.matchAll(/(\d+)m([\d.]+)s/g)) ms += (Number(m) * 60 + Number(sec)) * 1000;
  return ms;
}
/** file → CPU ms, for the files that ran as a tap run of their own. */
const cpuOfFile = new Map();

const started = Date.now();
const raw = createWriteStream(rawPath);
const totals = { passed: 0, failed: 0 };
const slowest = [];
const times = { ...lastTimes };

// A top-level result line is one file: `ok 3 - services/x/test/y.test.ts # time=1234.5ms`. The
// indented lines before it are that file's own TAP; a failing file's `not ok` lines are shown.
const fileLine = /^(not ok|ok) \d+ - (\S+\.test\.ts)(?: # time=([\d.]+)ms)?/;
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

/** Installs Chromium if missing and builds the UI if its build is older than its sources. */
function prepareBrowserSuites(job) {
  const script = "const b = await import('./ui/test/support/browser.ts'); b.ensureChromium(); b.ensureBuild();";
  const child = spawn(process.execPath, ['--import', '@blotter/ts-loader/register', '--input-type=module', '-e', script], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolveJob) =>
    child.on('close', (code) => {
      // A failed build is not a test result: the browser files then fail on their own, saying why.
      if (code !== 0) process.stdout.write(`[test] preparing the browser suites failed (exit ${code}); their files will say why\n`);
      job.done = true;
      resolveJob();
    }),
  );
}

/** One job: a tap run over its files, one at a time; resolves when tap exits. */
function runJob(job) {
  if (job.prepare) return prepareBrowserSuites(job);
  return new Promise((resolveJob) => {
    // Through bash, whose `times` then gives the CPU the run used, its processes included (tests,
    // the services they start, Chromium): what a file costs the machine, whatever ran beside it.
    const tap = spawn(
      'bash',
      [
        '-c',
        '"$0" "$@"; rc=$?; times >&3; exit $rc',
        join(root, 'node_modules/.bin/tap'),
        '-R',
        'tap',
        '--no-color',
        '--jobs=1',
        ...job.files,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit', 'pipe'] },
    );
    let timesOutput = '';
    tap.stdio[3].on('data', (d) => {
      timesOutput += d;
    });
    const output = [];
    let block = [];
    let summary = null;
    const pending = new Set(job.files);
    const lines = createInterface({ input: tap.stdout });
    lines.on('line', (line) => {
      output.push(line);
      const summaryMatch = /^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?[^}]*\}/.exec(line);
      if (summaryMatch) summary = summaryMatch;
      const m = fileLine.exec(line);
      if (!m) {
        if (line.startsWith(' ')) block.push(line);
        return;
      }
      const [, verdict, file, time] = m;
      const ms = Number(time ?? 0);
      pending.delete(file);
      const suite = suites.get(suiteOf(file));
      if (suite) {
        suite.done++;
        suite.ms += ms;
        if (verdict !== 'ok') suite.failed.push(file);
      }
      slowest.push({ file, ms });
      times[file] = Math.round(ms);
      process.stdout.write(`[test] ${verdict === 'ok' ? 'ok    ' : 'FAILED'} ${secs(ms).padStart(8)}  ${file}\n`);
      if (verdict !== 'ok') for (const l of failureLines(block).slice(0, 80)) process.stdout.write(`         ${l}\n`);
      block = [];
    });
    tap.on('close', (code) => {
      raw.write(`${output.join('\n')}\n`);
      const cpu = childCpuMs(timesOutput);
      const suite = suites.get(suiteOf(job.files[0]));
      if (suite) suite.cpuMs += cpu;
      if (job.files.length === 1) cpuOfFile.set(job.files[0], cpu);
      totals.passed += Number(summary?.[2] ?? 0);
      // A run that crashed or timed out may fail without a failing assertion: still a failure.
      totals.failed += Math.max(Number(summary?.[3] ?? 0), code === 0 ? 0 : 1);
      for (const file of pending) {
        const suite = suites.get(suiteOf(file));
        if (suite) suite.failed.push(file);
        process.stdout.write(`[test] FAILED  no result  ${file} (its tap run exited ${code})\n`);
      }
      resolveJob();
    });
  });
}

const queue = [...jobs];
const running = new Set();
/** The longest job that can start now, or null when none is waiting. */
function next() {
  const i = queue.findIndex((job) => !job.after || job.after.done);
  return i < 0 ? null : queue.splice(i, 1)[0];
}
await new Promise((allDone) => {
  const fill = () => {
    for (let job = running.size < slots ? next() : null; job; job = running.size < slots ? next() : null) {
      running.add(job);
      runJob(job).then(() => {
        running.delete(job);
        fill();
      });
    }
    if (!running.size && !queue.length) allDone();
  };
  fill();
});
raw.end();
writeFileSync(timesPath, `${JSON.stringify(times, null, 1)}\n`);

const wall = Date.now() - started;
const width = Math.max(...[...suites.keys()].map((s) => s.length), 5);
process.stdout.write(
  `\n[test] time per suite (the sum of its files' times; ${slots} tap runs at a time) and the CPU its processes used:\n`,
);
for (const [name, s] of [...suites.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
  const state = s.failed.length ? `${s.failed.length} FAILED` : s.done === s.files ? 'ok' : `${s.files - s.done} not run`;
  process.stdout.write(
    `  ${name.padEnd(width)}  ${secs(s.ms).padStart(9)}  ${`${secs(s.cpuMs)} CPU`.padStart(13)}  ${String(s.files).padStart(3)} files  ${state}\n`,
  );
}
process.stdout.write('[test] slowest files (and their CPU, for a file run on its own):\n');
for (const { file, ms } of slowest.sort((a, b) => b.ms - a.ms).slice(0, 10)) {
  const cpu = cpuOfFile.has(file) ? `${secs(cpuOfFile.get(file))} CPU` : '';
  process.stdout.write(`  ${secs(ms).padStart(9)}  ${cpu.padStart(13)}  ${file}\n`);
}
const totalCpu = [...suites.values()].reduce((sum, s) => sum + s.cpuMs, 0);
process.stdout.write(
  `[test] total ${secs(wall)} wall clock, ${secs(totalCpu)} CPU (${(totalCpu / wall).toFixed(2)} cores on average); the full TAP output is in ${relative(root, rawPath)}\n`,
);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
await exitWhenWritten(totals.failed ? 1 : 0);
