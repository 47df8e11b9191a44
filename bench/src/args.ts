// `make bench` / `pnpm --filter @blotter/bench run bench -- [options]`. pnpm passes the `--` through
// to the script, so it is dropped here; anything not understood stops the run before it starts
// (a typo once meant ten minutes of the full bench instead of the quick check that was asked for).
import { parseArgs } from 'node:util';
import { scenarios } from './scenarios/index.ts';

export const usage = `usage: make bench ARGS='[options]'    (or pnpm --filter @blotter/bench run bench -- [options])

Every benchmark, one after the other, then one table on stdout; progress on stderr; the figures
and CPU profiles under bench/results/. Needs the stack's NATS and Postgres (make up).

options:
  --only <ids>     only these scenarios, comma separated: ${scenarios.map((s) => s.id).join(', ')}
  --rounds <n>     rounds per figure, whose median is reported (default 3)
  --quick          small sizes, to check the harness itself (the figures are not meaningful)
  --no-profile     skip the profiled runs (row 5: results/profile-<id>.cpuprofile)
  -h, --help       this help
`;

export interface BenchArgs {
  only: string[] | undefined;
  rounds: number;
  quick: boolean;
  profile: boolean;
}

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/** The options, or 'help'; a BenchUsageError says what is wrong in one line. */
export function parseBenchArgs(argv: string[]): BenchArgs | 'help' {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(args));
  } catch (err) {
    throw new BenchUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const only = values.only?.split(',').filter(Boolean);
  const unknown = only?.filter((id) => !scenarios.some((s) => s.id === id)) ?? [];
  if (unknown.length > 0) throw new BenchUsageError(`unknown scenario ${unknown.join(', ')} for --only`);
  const rounds = Number(values.rounds ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1) throw new BenchUsageError(`--rounds takes a positive integer, got ${values.rounds}`);
  return { only, rounds, quick: values.quick ?? false, profile: !values['no-profile'] };
}

const parse = (args: string[]) =>
  parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      only: { type: 'string' },
      rounds: { type: 'string' },
      quick: { type: 'boolean' },
      'no-profile': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
