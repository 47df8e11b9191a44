// ./blotter as a person runs it: a new process from the repository root, output piped into other
// tools. Its stdout must be only the command's output, a reader that stops early must end it quietly
// (exit 0, nothing on stderr), and `pnpm blotter` must print the same clean output.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type TestStore, infraEnv, openTestStore } from '@blotter/test-kit';
import t from 'tap';

const root = resolve(import.meta.dirname, '../../..');

function sh(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    // pipefail: the pipeline's status is the launcher's own, not only `head`'s. NODE_OPTIONS is
    // tap's process tracker, which a person's shell does not have (its require hook cannot load an
    // extensionless ES module such as ./blotter).
    const child = spawn('bash', ['-o', 'pipefail', '-c', `unset NODE_OPTIONS; ${script}`], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => done({ code, out, err }));
  });
}

let ctx: TestStore;
let env: Record<string, string>;
const USERS = 600;

t.before(async () => {
  ctx = await openTestStore({ partitions: 2 });
  env = { NATS_URL: infraEnv('NATS_URL'), DATABASE_URL: infraEnv('DATABASE_URL'), BLOTTER_NAMESPACE: ctx.namespace };
  // Enough events that the CSV is far larger than a pipe's buffer: `head -1` closes its end while
  // the export still has rows to write.
  const { uuidv7 } = await import('@blotter/eventstore');
  await Promise.all(
    Array.from({ length: USERS }, async () => {
      const userId = uuidv7();
      await ctx.store.append(
        {
          commitId: `open-${userId}`,
          subject: ctx.store.subjects.account(userId),
          aggregateId: userId,
          userId,
          occurredAt: new Date().toISOString(),
        },
        [
          {
            type: 'AccountOpened',
            data: { userId, email: `${userId}@example.com`, venue: 'paper', deposits: [{ asset: 'USDT', amount: '10000' }] },
          },
        ],
        0,
        null,
      );
    }),
  );
});
t.teardown(() => ctx.close());

t.test('export | head -1: one clean CSV line, exit 0, nothing on stderr', async (t) => {
  const full = await sh('./blotter export --format csv | wc -c', env);
  t.equal(full.code, 0, full.err);
  t.ok(Number(full.out) > 128 * 1024, `the whole export (${full.out.trim()} bytes) overflows a pipe buffer`);

  const r = await sh('./blotter export --format csv | head -1', env);
  t.equal(r.code, 0, 'the pipeline (pipefail) exits 0');
  t.equal(r.err, '', 'no EPIPE stack trace');
  t.equal(r.out, 'seq,storedAt,occurredAt,type,version,eventId,aggregateId,userId,causationId,correlationId,data\n');

  const jsonl = await sh('./blotter export --format jsonl | head -3', env);
  t.equal(jsonl.code, 0);
  t.equal(jsonl.err, '');
  const lines = jsonl.out.trimEnd().split('\n');
  t.equal(lines.length, 3);
  for (const line of lines) t.match(JSON.parse(line), { type: 'AccountOpened', seq: Number });
});

t.test('a command run to its end: every row, exit 0', async (t) => {
  const r = await sh('./blotter export --format jsonl', env);
  t.equal(r.code, 0);
  t.equal(r.err, '');
  t.equal(r.out.trimEnd().split('\n').length, USERS);

  // A reader that takes its time (a slow disk, a busy machine) gets every row too: the command
  // does not end while its output still sits in the pipe. This reader takes the first row, then
  // pauses while the export fills the pipe and finishes.
  const slow = await sh('./blotter export --format jsonl | (IFS= read -r first; sleep 1; { echo "$first"; cat; } | wc -l)', env);
  t.equal(slow.code, 0, slow.err);
  t.equal(slow.out.trim(), String(USERS), 'every row reached a reader that started late');
});

t.test('pnpm blotter: the same clean stdout (no script banner)', async (t) => {
  const pnpm = join(root, '.data/tools/node_modules/.bin/pnpm');
  t.ok(existsSync(pnpm), 'make install put pnpm into .data/tools');
  const r = await sh(`${pnpm} blotter export --format jsonl --limit 2`, env);
  t.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split('\n');
  t.equal(lines.length, 2, r.out);
  for (const line of lines) t.match(JSON.parse(line), { type: 'AccountOpened' });
});

t.test('settings: help needs none; an unreachable NATS or a bad value is one line with what to run', async (t) => {
  const help = await sh('./blotter events --help', { NATS_URL: '' });
  t.equal(help.code, 0);
  t.match(help.out, /^usage: blotter events /);

  const down = await sh('./blotter events', { ...env, NATS_URL: 'nats://127.0.0.1:1' });
  t.equal(down.code, 1);
  t.equal(down.out, '');
  t.equal(
    down.err,
    'blotter: cannot reach NATS at nats://127.0.0.1:1 (CONNECTION_REFUSED): is the stack up? run `make up` (or `make dev`)\n',
  );

  const bad = await sh('./blotter events', { ...env, BLOTTER_NAMESPACE: 'Not-A-Namespace' });
  t.equal(bad.code, 1);
  t.match(bad.err, /^blotter: invalid configuration: BLOTTER_NAMESPACE: .*set it in \.env/);
  t.equal(bad.err.split('\n').length, 2, 'one line');

  const secret = await sh('./blotter keys rotate', { ...env, KEY_ENCRYPTION_KEY: 'change-me' });
  t.equal(secret.code, 1);
  t.equal(
    secret.err,
    'blotter: KEY_ENCRYPTION_KEY is still the placeholder from .env.example: put a real secret in .env (or delete .env and run `make dev`, which writes fresh ones)\n',
  );
});
