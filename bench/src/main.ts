// `make bench`: every benchmark in one run, one table at the end (stdout), progress on stderr, the
// figures and profiles under bench/results/. Each scenario runs in its own process
// (run-scenario.ts), one after the other. Options: see args.ts (`-- --help`).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { infraEnv } from '@blotter/test-kit';
import { BenchUsageError, parseBenchArgs, usage } from './args.ts';
import { formatOwners, formatTop, type OwnerRow, type SelfTimeRow } from './profile.ts';
import { Progress } from './progress.ts';
import { evaluate, type Metric, renderTable, type Sizes } from './report.ts';
import { scenarios } from './scenarios/index.ts';

let parsed: ReturnType<typeof parseBenchArgs>;
try {
  parsed = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof BenchUsageError)) throw err;
  process.stderr.write(`bench: ${err.message} (\`-- --help\` lists the options)\n`);
  process.exit(2);
}
if (parsed === 'help') {
  process.stdout.write(usage);
  process.exit(0);
}
// Nothing starts without the stack's NATS and Postgres: say so once instead of failing each scenario.
try {
  infraEnv('NATS_URL');
  infraEnv('DATABASE_URL');
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exit(1);
}
const { quick, rounds } = parsed;
const full: Sizes = {
  rounds,
  roundSeconds: 5,
  publishPerSubject: 5,
  publishInFlight: 512,
  batchSize: 500,
  emmettOrderPool: 80_000,
  emmettProjectionSeconds: 8,
  emmettInFlight: 64,
  gatewayUsers: 200,
  gatewayClients: 64,
  gatewaySeconds: 8,
  latencyRate: 500,
  latencyLowRate: 100,
  latencySeconds: 8,
  latencyUsers: 100,
  rebuildEvents: 200_000,
  fanoutClients: 1_000,
  fanoutSeconds: 5,
  fanoutProbesPerSecond: 10,
};
const small: Sizes = {
  ...full,
  roundSeconds: 1,
  emmettOrderPool: 2_000,
  emmettProjectionSeconds: 2,
  gatewayUsers: 20,
  gatewaySeconds: 2,
  latencySeconds: 2,
  rebuildEvents: 6_000,
  fanoutClients: 100,
  fanoutSeconds: 2,
};
const sizes = quick ? small : full;
const selected = scenarios.filter((s) => !parsed.only || parsed.only.includes(s.id));
const profiled = parsed.profile ? selected.filter((s) => s.profiled) : [];
const resultsDir = join(import.meta.dirname, '../results');
mkdirSync(resultsDir, { recursive: true });

interface ChildResult {
  metrics: Metric[];
  extras: Record<string, unknown>;
}

// Ctrl-C (or SIGTERM): the running scenario cleans up its streams and databases and exits (it gets
// the signal too), no further scenario starts, and what was measured so far is still reported.
// A second Ctrl-C leaves at once.
let current: ChildProcess | null = null;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    current?.kill('SIGTERM');
  });
}

/** One scenario in its own process; its progress goes straight to our stderr. */
function runChild(id: string, profile: boolean): Promise<ChildResult> {
  const flags = profile ? ['--enable-source-maps'] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...flags,
        '--max-old-space-size=8192',
        '--import',
        '@blotter/ts-loader/register',
        join(import.meta.dirname, 'run-scenario.ts'),
        id,
        ...(profile ? ['--profile'] : []),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_SIZES: JSON.stringify(sizes), BENCH_RESULTS: resultsDir } },
    );
    current = child;
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      current = null;
      if (code !== 0) return reject(new Error(`scenario ${id} exited with ${code ?? signal}`));
      try {
        const last = out.trim().split('\n').pop() ?? '';
        resolve(JSON.parse(last, (_k, v) => (v === 'Infinity' ? Number.POSITIVE_INFINITY : v)) as ChildResult);
      } catch (err) {
        reject(new Error(`scenario ${id} printed no result: ${String(err)}`));
      }
    });
  });
}

const progress = new Progress(selected.length + profiled.length, false);
const startedAt = new Date();
const loadBefore = loadavg();
const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
progress.log(
  `Blotter bench: ${selected.length} scenarios + ${profiled.length} profiled runs, ${rounds} rounds per figure${quick ? ' (QUICK sizes: harness check only)' : ''}; load average ${la(loadBefore)} on ${cpus().length} cores`,
);

const metrics: Metric[] = [];
const failures: { scenario: string; error: string }[] = [];
const profiles: Record<string, { file: string; top: SelfTimeRow[]; owners: OwnerRow[]; files: OwnerRow[] }> = {};
for (const s of selected) {
  if (interrupted) break;
  progress.phaseStart(s.name);
  const t0 = Date.now();
  try {
    metrics.push(...(await runChild(s.id, false)).metrics);
  } catch (err) {
    failures.push({ scenario: s.id, error: String(err) });
    progress.log(`✗ ${String(err)}`);
  }
  progress.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
for (const s of profiled) {
  if (interrupted) break;
  progress.phaseStart(`5 profile: ${s.name} (one round under the CPU profiler)`);
  try {
    const result = await runChild(s.id, true);
    const p = result.extras.profile as (typeof profiles)[string];
    profiles[s.id] = p;
    progress.log(`  → ${p.file}\n${formatTop(p.top)}\n  CPU by component:\n${formatOwners(p.owners)}`);
  } catch (err) {
    failures.push({ scenario: `profile ${s.id}`, error: String(err) });
    progress.log(`✗ ${String(err)}`);
  }
}
progress.stop();

const loadAfter = loadavg();
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const file = join(resultsDir, `bench-${stamp}.json`);
const seconds = (Date.now() - startedAt.getTime()) / 1000;
if (interrupted) failures.push({ scenario: 'run', error: 'interrupted (SIGINT/SIGTERM): the scenarios after that point did not run' });
const record = { startedAt, seconds, rounds, quick, sizes, loadBefore, loadAfter, metrics, ...evaluate(metrics), profiles, failures };
const json = JSON.stringify(record, (_k, v) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v), 2);
writeFileSync(file, json);
writeFileSync(join(resultsDir, 'latest.json'), json);
const footer = [
  `load average ${la(loadBefore)} at start, ${la(loadAfter)} at end (${cpus().length} cores); ${seconds.toFixed(0)} s in all${quick ? '; QUICK sizes' : ''}`,
  ...Object.values(profiles).map((p) => `profile: ${p.file} (summary: ${p.file.replace(/\.cpuprofile$/, '.top.txt')})`),
  ...failures.map((f) => `FAILED: ${f.scenario}: ${f.error.split('\n')[0]}`),
  `results: ${file}`,
].join('\n');
process.stdout.write(`\n${renderTable(metrics, rounds)}\n${footer}\n`);
process.exit(failures.length > 0 ? 1 : 0);
