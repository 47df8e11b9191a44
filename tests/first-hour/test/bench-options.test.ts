// The bench as the README runs it: `-- --help` prints the options and starts nothing (it once ran the
// full ten-minute bench), a mistyped option stops before anything starts, and the profile summary
// on a fresh clone says which run writes the profile instead of failing with ENOENT.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { repoRoot, run } from '../src/run.ts';

const pnpm = join(repoRoot, '.data/tools/node_modules/.bin/pnpm');
const nowhere = { NATS_URL: 'nats://127.0.0.1:1', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

t.test('pnpm --filter @blotter/bench run bench -- --help', async (t) => {
  t.ok(existsSync(pnpm), 'make install put pnpm into .data/tools');
  const r = await run(pnpm, ['--filter', '@blotter/bench', 'run', 'bench', '--', '--help'], nowhere);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /usage: make bench ARGS='\[options\]'/);
  for (const option of ['--only', '--rounds', '--quick', '--no-profile', '--help']) t.match(r.stdout, option);
  t.notMatch(r.stderr, /Blotter bench:/, 'no scenario started');
});

t.test('an unknown option or scenario stops the bench before it starts', async (t) => {
  const bench = join(repoRoot, 'bench/src/main.ts');
  for (const [args, message] of [
    [['--', '--quik'], /^bench: Unknown option '--quik'/],
    [['--only', 'gateway,nope'], /^bench: unknown scenario nope for --only/],
    [['--rounds', 'zero'], /^bench: --rounds takes a positive integer/],
  ] as const) {
    const r = await run(process.execPath, ['--import', '@blotter/ts-loader/register', bench, ...args], nowhere);
    t.equal(r.code, 2, args.join(' '));
    t.equal(r.stdout, '');
    t.match(r.stderr, message);
    t.equal(r.stderr.trimEnd().split('\n').length, 1, 'one line');
  }
});

t.test('profile-top on a profile not written yet: one line naming the run that writes it', async (t) => {
  const missing = 'bench/results/profile-nosuchscenario.cpuprofile';
  const r = await run(process.execPath, ['--import', '@blotter/ts-loader/register', 'bench/src/bin/profile-top.ts', missing, '20'], {});
  t.equal(r.code, 1);
  t.equal(
    r.stderr,
    `profile-top: no profile at ${missing} yet; a bench run writes it (make bench, or just this one: pnpm --filter @blotter/bench run bench -- --only nosuchscenario --quick)\n`,
  );
  t.notMatch(r.stderr, /ENOENT/);
});
