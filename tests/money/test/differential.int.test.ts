// The differential test as part of `make test`: 100 random sequences (MONEY_SEQUENCES) through the
// real gateway, executor and simulator, with executor restarts, and no difference from the venue.
// The whole stack runs in this one process: 100 take ~30 s on a quiet 2-core machine and about
// twice that inside `make test`; 200 took make test past its 15 minutes. `make test-money` runs the
// long version (tests/money/src/bin/test-money.ts).
import t from 'tap';
import { runDifferential } from '../src/differential.ts';
import { moneyStack } from '../src/stack.ts';

const sequences = Number(process.env.MONEY_SEQUENCES ?? 100);
const concurrency = Number(process.env.MONEY_CONCURRENCY ?? 30);
/** MONEY_FIRST_SEED=36 MONEY_SEQUENCES=1 replays the schedule of the sequence a difference names. */
const firstSeed = Number(process.env.MONEY_FIRST_SEED ?? 1);

t.test(`${sequences} random sequences leave Blotter equal to the venue`, async (t) => {
  const stack = await moneyStack(t);
  const result = await runDifferential({ stack, sequences, concurrency, firstSeed, restartEveryMs: 5000 });
  for (const d of result.differences) t.comment(`seed ${d.seed}: ${d.what}`);
  t.equal(result.sequences, sequences, 'every sequence ran');
  t.ok(result.restarts > 0 || sequences < 20, `the executor was restarted under them (${result.restarts} times)`);
  t.same(
    result.differences.map((d) => `seed ${d.seed}: ${d.what}`),
    [],
    `${result.sequences} sequences, ${result.differences.length} differences`,
  );
});
