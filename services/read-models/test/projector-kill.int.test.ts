// A real projector process is killed with SIGKILL while it works through a stream, then restarted:
// the read models must end up exactly equal to a replay of the stream (nothing lost, nothing twice).
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { infraEnv, openTestStore, createTestDatabase } from '@blotter/test-kit';
import { type AnyReadModel, allReadModels, InMemoryReplay, readCheckpoints } from '../src/index.ts';
import { seedTrading } from './seed.ts';
import { tableRows } from './util.ts';
import { eventually } from '@blotter/test-kit/procs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const ctx = await openTestStore({ partitions: 2 });
const tdb = await createTestDatabase();
const children: ChildProcess[] = [];
t.teardown(async () => {
  for (const c of children) c.kill('SIGKILL');
  await tdb.drop();
  await ctx.close();
});

function startProjector(): ChildProcess {
  const child = spawn(process.execPath, ['--import', '@blotter/ts-loader/register', 'src/server.ts'], {
    cwd: pkg,
    env: {
      ...process.env,
      NATS_URL: infraEnv('NATS_URL'),
      DATABASE_URL: tdb.url,
      BLOTTER_NAMESPACE: ctx.namespace,
      // Small batches: many transactions, so the kill lands between (or inside) them.
      PROJECTOR_BATCH_SIZE: '3',
      PROJECTOR_ACK_WAIT_MS: '2000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

const applied = async () =>
  (await readCheckpoints(tdb.db, 'public')).filter((c) => c.projection === 'orders').reduce((n, c) => n + c.seq, 0);

t.test('SIGKILL mid-stream, restart, and the read models equal a replay', async (t) => {
  await seedTrading(ctx.store, 12, 9);
  const last = await ctx.store.lastSeq();

  const first = startProjector();
  await eventually(async () => (await applied()) > 0, 30_000, 'the first projector to make progress');
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const checkpointsAtKill = await readCheckpoints(tdb.db, 'public');
  const done = checkpointsAtKill.filter((c) => c.projection === 'orders').map((c) => c.seq);
  t.ok(Math.max(...done) < last, `killed before the end (checkpoints ${done.join(',')} of ${last})`);

  startProjector();
  await eventually(
    async () => {
      for (const p of [0, 1]) {
        const info = await ctx.store.jsm.consumers.info(ctx.store.streams.events, `projector-p${p}`).catch(() => null);
        if (!info || info.num_pending + info.num_ack_pending > 0) return false;
      }
      return true;
    },
    60_000,
    'the restarted projector to catch up',
  );

  const replay = new InMemoryReplay(allReadModels);
  for await (const commit of ctx.store.read()) replay.apply(commit);
  for (const model of allReadModels as AnyReadModel[]) {
    const expected = Object.fromEntries(replay.rows(model.name).map((r) => [model.keyOf(r), r]));
    t.same(await tableRows(tdb.db, model), expected, `${model.name}: identical to the replay`);
  }
});
