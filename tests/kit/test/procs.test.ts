// The process helper and eventually(): what make dev and every suite's stack rely on.
import t from 'tap';
import { eventually, logLine, Proc } from '../src/procs.ts';

const node = (script: string, name = 'child') =>
  new Proc({
    name,
    command: process.execPath,
    args: ['-e', script],
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '' },
    ready: logLine(/^ready/m),
  });

t.test('eventually returns the first value that is not undefined, null or false', async (t) => {
  let n = 0;
  t.equal(await eventually(() => (++n >= 3 ? n : n === 1 ? null : false), 5_000, 'the third call', 5), 3);
  t.equal(await eventually(() => 0, 1_000, 'zero'), 0, 'zero is a value');
});

t.test('eventually times out naming what it waited for and the last error', async (t) => {
  await t.rejects(
    eventually(
      () => {
        throw new Error('not yet');
      },
      200,
      'the moon',
      20,
    ),
    /waiting for the moon \(last error: not yet\)/,
  );
});

t.test('a process: ready, restarted on request, stopped', async (t) => {
  const p = node("console.log('ready'); setInterval(() => {}, 1000)");
  t.teardown(() => p.close());
  p.start();
  await p.waitReady(20_000);
  t.ok(p.running, 'running once ready');
  const firstPid = p.pid;
  await p.restart(5_000, 20_000);
  t.equal(p.starts, 2, 'started twice');
  t.not(p.pid, firstPid, 'a new process');
  const exit = await p.stop('SIGTERM', 5_000);
  t.equal(exit.signal, 'SIGTERM');
  t.notOk(p.running, 'stopped');
});

t.test('a process that exits before it is ready fails waitReady at once, with its output', async (t) => {
  const p = node("console.error('boom: no config'); process.exit(3)");
  t.teardown(() => p.close());
  p.start();
  const t0 = Date.now();
  await t.rejects(p.waitReady(60_000), /child exited[\s\S]*boom: no config/);
  t.ok(Date.now() - t0 < 30_000, 'without waiting for the timeout');
});

t.test('a SIGTERM that is ignored is followed by SIGKILL', async (t) => {
  const p = node("process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)");
  t.teardown(() => p.close());
  p.start();
  await p.waitReady(20_000);
  const exit = await p.stop('SIGTERM', 300);
  t.equal(exit.signal, 'SIGKILL');
  t.equal(p.terms, 1);
});
