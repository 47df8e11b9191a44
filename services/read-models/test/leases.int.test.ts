// Two projectors share the partitions through leases: a real projector process and an in-process
// runner split them evenly; when the process is killed (SIGKILL, no goodbye), the survivor takes
// its partitions over after the lease expires, and the read models still equal a replay.
import { silentLogger } from '@blotter/eventstore';
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { infraEnv, openTestStore, createTestDatabase } from '@blotter/test-kit';
import { type AnyReadModel, allReadModels, InMemoryReplay, ProjectionRunner } from '../src/index.ts';
import { seedTrading } from './seed.ts';
import { tableRows } from './util.ts';
import { eventually } from '@blotter/test-kit/procs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const ctx = await openTestStore({ partitions: 4 });
const tdb = await createTestDatabase();
const children: ChildProcess[] = [];
const survivor = new ProjectionRunner({
  store: ctx.store,
  db: tdb.db,
  schema: 'public',
  models: allReadModels,
  group: 'projector',
  log: silentLogger,
  ackWaitMs: 2000,
  leases: { instanceId: 'survivor', ttlMs: 2000 },
});
t.teardown(async () => {
  for (const c of children) c.kill('SIGKILL');
  await survivor.stop();
  await tdb.drop();
  await ctx.close();
});

t.test('partitions are shared evenly, and a killed instance is taken over', async (t) => {
  await seedTrading(ctx.store, 6, 3);
  const victim = spawn(process.execPath, ['--import', '@blotter/ts-loader/register', 'src/server.ts'], {
    cwd: pkg,
    env: {
      ...process.env,
      NATS_URL: infraEnv('NATS_URL'),
      DATABASE_URL: tdb.url,
      BLOTTER_NAMESPACE: ctx.namespace,
      PROJECTOR_PARTITIONS: 'auto',
      INSTANCE_ID: 'victim',
      PROJECTOR_LEASE_TTL_MS: '2000',
      PROJECTOR_ACK_WAIT_MS: '2000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(victim);
  // The victim's own log says which partitions it holds.
  const held = new Set<number>();
  let buffer = '';
  victim.stdout?.on('data', (chunk: Buffer) => {
    const lines = (buffer + chunk.toString()).split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const entry = JSON.parse(line) as { msg?: string; partition?: number };
      if (entry.msg === 'lease acquired' && entry.partition !== undefined) held.add(entry.partition);
      if (entry.msg === 'lease released' && entry.partition !== undefined) held.delete(entry.partition);
    }
  });
  await eventually(() => held.size === 4, 60_000, 'the first instance to take all 4');

  await survivor.start();
  await eventually(() => held.size === 2 && survivor.activePartitions().length === 2, 30_000, 'an even split');
  t.same([...held, ...survivor.activePartitions()].sort(), [0, 1, 2, 3], 'each partition has exactly one holder');

  victim.kill('SIGKILL');
  await seedTrading(ctx.store, 6, 3);
  await eventually(() => survivor.activePartitions().length === 4, 30_000, 'the survivor to take over');
  t.same(survivor.activePartitions(), [0, 1, 2, 3]);

  await eventually(
    async () => {
      for (let p = 0; p < 4; p++) {
        const info = await ctx.store.jsm.consumers.info(ctx.store.streams.events, `projector-p${p}`);
        if (info.num_pending + info.num_ack_pending > 0) return false;
      }
      return true;
    },
    60_000,
    'every partition to catch up',
  );
  const replay = new InMemoryReplay(allReadModels);
  for await (const commit of ctx.store.read()) replay.apply(commit);
  for (const model of allReadModels as AnyReadModel[]) {
    const expected = Object.fromEntries(replay.rows(model.name).map((r) => [model.keyOf(r), r]));
    t.same(await tableRows(tdb.db, model), expected, `${model.name}: identical to the replay`);
  }
});
