// Runs one scenario in this process and prints its result as one JSON line on stdout. main.ts starts
// one such process per scenario, so scenarios cannot disturb each other (Emmett's Postgres driver
// setup, for one, changes pg's global type parsers, which Blotter's read models rely on):
//   node --import @blotter/ts-loader/register src/run-scenario.ts <id> [--profile]        (BENCH_SIZES: the sizes as JSON)
// With --profile (and --enable-source-maps), one round runs under the inspector's CPU profiler on
// the main thread; the profile and its summaries are written to the results directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { byOwner, type CpuProfile, formatOwners, formatTop, inclusiveBlotter, saveProfile, topSelfTime } from './profile.ts';
import { cleanUpAll } from './infra.ts';
import { Progress } from './progress.ts';
import type { ScenarioContext, Sizes } from './report.ts';
import { scenarios } from './scenarios/index.ts';

const [id, ...rest] = process.argv.slice(2);
const scenario = scenarios.find((s) => s.id === id);
if (!scenario) {
  process.stderr.write(`usage: run-scenario.ts <${scenarios.map((s) => s.id).join('|')}> [--profile]\n`);
  process.exit(2);
}
const profiling = rest.includes('--profile');
const sizes = JSON.parse(process.env.BENCH_SIZES ?? '{}') as Sizes;
const resultsDir = process.env.BENCH_RESULTS ?? join(import.meta.dirname, '../results');
// Run on its own (not from main.ts) on a fresh clone, the git-ignored results folder is not there yet.
mkdirSync(resultsDir, { recursive: true });
const progress = new Progress(0);
// Stopped (Ctrl-C reaches the whole process group; main.ts forwards SIGTERM): remove this
// scenario's streams and databases before leaving, at most 15 s.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress.stop();
    process.stderr.write(`${id}: ${signal}, cleaning up\n`);
    // Dropping a database under a live pool makes its clients fail: nothing to report any more.
    process.on('uncaughtException', () => {});
    process.on('unhandledRejection', () => {});
    const timer = setTimeout(() => process.exit(130), 15_000);
    timer.unref();
    void cleanUpAll().finally(() => process.exit(130));
  });
}
const ctx: ScenarioContext = { rounds: sizes.rounds, sizes, progress, resultsDir, extras: {} };
let profile: CpuProfile | null = null;
try {
  const run = await scenario.load();
  const metrics = await run(ctx, profiling ? { profile: (p) => (profile = p) } : {});
  progress.stop();
  if (profiling) {
    const taken = profile as CpuProfile | null;
    if (!taken) throw new Error('no profile was taken');
    const file = join(resultsDir, `profile-${id}.cpuprofile`);
    saveProfile(taken, file);
    const top = topSelfTime(taken, 20);
    const owners = byOwner(taken, 'package');
    const files = byOwner(taken, 'file', 20);
    const inclusive = inclusiveBlotter(taken, 25);
    writeFileSync(
      join(resultsDir, `profile-${id}.top.txt`),
      [
        `top 20 functions by self time (main thread)\n${formatTop(top)}`,
        `CPU by component (outermost Blotter package on the stack)\n${formatOwners(owners)}`,
        `CPU by outermost Blotter file\n${formatOwners(files)}`,
        `Blotter functions by inclusive time (synchronous part of each stack)\n${formatTop(inclusive)}`,
      ].join('\n\n'),
    );
    ctx.extras.profile = { file, top, owners, files, inclusive };
  }
  // Infinity (a latency that never ended) survives the trip as a string.
  process.stdout.write(
    `${JSON.stringify({ metrics, extras: ctx.extras }, (_k, v) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v))}\n`,
  );
  process.exit(0);
} catch (err) {
  progress.stop();
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
