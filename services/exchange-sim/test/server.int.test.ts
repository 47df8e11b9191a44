// src/server.ts as a process: refuses to boot without its token, logs one line, stops on SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', '@blotter/ts-loader/register', SERVER], {
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

t.test('without SIM_ADMIN_TOKEN it exits 1 and names the variable', async (t) => {
  const p = run({ SIM_PORT: '0' });
  t.equal(await p.exited, 1);
  t.match(p.err(), /SIM_ADMIN_TOKEN is required/);
});

t.test('it listens, says where everything is, and closes on SIGTERM with a final snapshot', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sim-server-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const p = run({ SIM_PORT: '0', SIM_ADMIN_TOKEN: 'x', SIM_DATA_DIR: dataDir });
  t.teardown(() => p.child.kill('SIGKILL'));
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out());
      if (m?.[1]) resolve(m[1]);
    };
    p.child.stdout.on('data', check);
    p.exited.then((code) => reject(new Error(`exited ${code}: ${p.err()}`)));
  });
  t.same(await (await fetch(`${url}/api/v3/ping`)).json(), {});
  p.child.kill('SIGTERM');
  t.equal(await p.exited, 0);
  t.equal(p.out().match(/listening on/g)?.length, 1);
  // Not a terminal: the addresses are fields of the JSON line (a terminal gets them as a banner).
  t.match(p.out(), /"wsApi":"ws:\/\/127\.0\.0\.1:\d+\/ws-api\/v3"/);
  t.match(p.out(), /\/admin\/accounts/, 'how to create a funded account');
  t.ok(existsSync(join(dataDir, 'snapshot.json')), 'state written to SIM_DATA_DIR');
});
