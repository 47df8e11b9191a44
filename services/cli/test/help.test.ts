// Every command answers --help (and `blotter help <command>`) with its usage and every option it
// accepts, on stdout, without any setting: help must work in a shell where nothing is up yet.
import t from 'tap';
import { commands, Context, main } from '../src/index.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = new Context({}, { write: (s) => void out.push(s) }, { write: (s) => void err.push(s) });
  const code = await main(argv, ctx);
  return { code, out: out.join(''), err: err.join('') };
}

for (const c of commands) {
  t.test(`blotter ${c.name} --help`, async (t) => {
    for (const argv of [
      [...c.name.split(' '), '--help'],
      [...c.name.split(' '), '-h'],
      ['help', ...c.name.split(' ')],
    ]) {
      const { code, out, err } = await run(...argv);
      t.equal(code, 0, argv.join(' '));
      t.equal(err, '');
      t.match(out, new RegExp(`^usage: blotter ${c.usage.replace(/[[\]|().*+?]/g, '\\$&')}\n`));
      t.match(out, c.summary);
      for (const option of Object.keys(c.options)) t.match(out, new RegExp(`\n  --${option}\\b`), `lists --${option}`);
      for (const [option, text] of Object.entries(c.help ?? {})) t.match(out, text, `describes --${option}`);
    }
  });
}

t.test('the overview lists every command; an unknown one is one line on stderr and exit 2', async (t) => {
  for (const argv of [[], ['--help'], ['help']]) {
    const { code, out } = await run(...argv);
    t.equal(code, 0);
    for (const c of commands) t.match(out, `  ${c.name} `);
  }
  const unknown = await run('frobnicate', '--json');
  t.equal(unknown.code, 2);
  t.equal(unknown.out, '');
  t.equal(unknown.err, 'blotter: unknown command "frobnicate" (`blotter --help` lists the commands)\n');
});

t.test('a missing setting is one line saying what to run', async (t) => {
  const { code, out, err } = await run('events');
  t.equal(code, 1);
  t.equal(out, '');
  t.equal(
    err,
    'blotter: invalid configuration: missing NATS_URL: run `make up` (or `make dev`): it writes .data/infra.env, which ./blotter reads\n',
  );
});

t.test('rebuild --reset rebuilds everything: with --projection it is a usage error, before connecting', async (t) => {
  const { code, out, err } = await run('rebuild', '--reset', '--projection', 'orders');
  t.equal(code, 2);
  t.equal(out, '');
  t.match(err, /^blotter rebuild: --reset rebuilds every read model: leave out --projection\nusage: blotter rebuild /);
});
