// `blotter url` answers from the settings the stack runs with: .env's ports (a second stack next to
// the first) and the shell's environment beat the defaults make dev uses.
import t from 'tap';
import { Context, main } from '../src/index.ts';

async function url(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['url', ...argv], new Context(env, { write: (s) => void out.push(s) }, { write: (s) => void err.push(s) }));
  return { code, out: out.join(''), err: err.join('') };
}

t.test('the defaults of make dev', async (t) => {
  t.same(await url({}), { code: 0, out: 'http://localhost:3001\n', err: '' });
  t.equal((await url({}, 'ws')).out, 'ws://localhost:3001/api/ws\n');
  t.equal((await url({}, 'ui')).out, 'http://localhost:3000\n');
  t.equal((await url({}, 'sim')).out, 'http://localhost:3002\n');
});

t.test('ports moved in the settings', async (t) => {
  const env = { PORT: '3101', UI_PORT: '3100', SIM_PORT: '3102' };
  t.equal((await url(env, 'api')).out, 'http://localhost:3101\n');
  t.equal((await url(env, 'ws')).out, 'ws://localhost:3101/api/ws\n');
  t.equal((await url(env, 'ui')).out, 'http://localhost:3100\n');
  t.equal((await url(env, 'sim')).out, 'http://localhost:3102\n');
});

t.test('anything else is a usage error on stderr', async (t) => {
  const r = await url({}, 'database');
  t.equal(r.code, 2);
  t.equal(r.out, '');
  t.match(r.err, /url takes one of api, ws, ui, sim/);
});
