// `blotter sim` as a process: it prints where the REST API, the WebSocket API and the streams are
// and how to open a funded account (with a token it made up when none is set), serves Binance's
// API there, and stops on SIGTERM keeping its state in the data directory.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  // ./blotter as a person runs it. Without NODE_OPTIONS, which holds tap's process tracker: its
  // require hook cannot load an extensionless ES module such as ./blotter.
  const child = spawn('bash', ['-c', 'unset NODE_OPTIONS; exec ./blotter "$@"', 'blotter', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (err += b));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

t.test('blotter sim: URLs, a funded account, Binance answers, a clean stop', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'blotter-sim-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const p = run(['sim', '--port', '0', '--data-dir', dataDir]);
  t.teardown(() => p.child.kill('SIGKILL'));
  const banner = await new Promise<string>((resolve, reject) => {
    p.child.stdout.on('data', () => /admin token/.test(p.out()) && resolve(p.out()));
    p.exited.then((code) => reject(new Error(`exited ${code}: ${p.err()}`)));
  });
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? '';
  const token = /admin token\s+([0-9a-f]{32})/.exec(banner)?.[1] ?? '';
  t.match(banner, new RegExp(`REST API\\s+${url}/api/v3`));
  t.match(banner, /WebSocket API\s+ws:\/\/127\.0\.0\.1:\d+\/ws-api\/v3/);
  t.match(banner, /market streams\s+ws:\/\/127\.0\.0\.1:\d+\/ws\/<stream>/);
  t.match(banner, new RegExp(`Bearer ${token}.*\\n.*${url}/admin/accounts`), 'the curl line to open an account, with the token');
  const created = await fetch(`${url}/admin/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  t.equal(created.status, 201);
  t.match(await created.json(), {
    apiKey: /^[A-Za-z0-9]{64}$/,
    apiSecret: /^[A-Za-z0-9]{64}$/,
    balances: [{ asset: 'USDT', free: '10000.00000000' }],
  });
  t.match(await (await fetch(`${url}/api/v3/ticker/price?symbol=BTCUSDT`)).json(), { symbol: 'BTCUSDT', price: /^\d+\.\d{8}$/ });
  p.child.kill('SIGTERM');
  t.equal(await p.exited, 0);
  t.ok(existsSync(join(dataDir, 'snapshot.json')), 'state kept in the data directory');
});

t.test('blotter sim: a bad port is a usage error; --help shows the usage', async (t) => {
  const bad = run(['sim', '--port', 'eighty']);
  t.equal(await bad.exited, 2);
  t.match(bad.err(), /--port must be a port number/);
  const help = run(['sim', '--help']);
  t.equal(await help.exited, 0);
  t.match(help.out(), /usage: blotter sim \[--port N\]/);
});
