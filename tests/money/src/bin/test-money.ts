// `make test-money`: the long differential run. MONEY_SEQUENCES (10,000) random sequences, run
// MONEY_CONCURRENCY (40) at a time over separate users, with the executor restarted every 5 s under
// all of them. Each difference is printed as it is found, with the seed that replays its sequence
// (MONEY_FIRST_SEED=<seed> MONEY_SEQUENCES=1); the last line is `N sequences, M differences`.
import { exitWhenWritten } from '@blotter/test-kit';
import { runDifferential } from '../differential.ts';
import { moneyStack } from '../stack.ts';

const sequences = Number(process.env.MONEY_SEQUENCES ?? 10_000);
const concurrency = Number(process.env.MONEY_CONCURRENCY ?? 40);
const firstSeed = Number(process.env.MONEY_FIRST_SEED ?? 1);

const teardowns: (() => unknown)[] = [];
const stack = await moneyStack({ teardown: (fn: () => unknown) => void teardowns.push(fn) });
const started = Date.now();
let code = 1;
try {
  const result = await runDifferential({
    stack,
    sequences,
    concurrency,
    firstSeed,
    restartEveryMs: 5000,
    onDifference: (d) => process.stdout.write(`seed ${d.seed}: ${d.what}\n`),
    onSequence: (done) => {
      if (done % 100 === 0) process.stderr.write(`[test-money] ${done}/${sequences} in ${Math.round((Date.now() - started) / 1000)} s\n`);
    },
  });
  process.stderr.write(`[test-money] ${result.restarts} executor restarts, ${Math.round((Date.now() - started) / 1000)} s\n`);
  process.stdout.write(`${result.sequences} sequences, ${result.differences.length} differences\n`);
  code = result.differences.length === 0 && result.sequences === sequences ? 0 : 1;
} finally {
  for (const fn of teardowns.reverse()) await Promise.resolve(fn()).catch(() => {});
}
await exitWhenWritten(code);
