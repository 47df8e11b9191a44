// Read models know the stream they were built from. A stream recreated under existing read models
// (`rm -rf .data` with a shared Postgres, or another clone's stream) starts again at sequence 1
// while the checkpoints stand far ahead: the projector must refuse, saying what to run, instead of
// silently skipping every event at or below the old checkpoints; `rebuild --reset` then rebuilds
// from the new stream, and nothing of it is skipped.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultStreamOptions, EventStore, uuidv7, silentLogger } from '@blotter/eventstore';
import { deleteNamespace, infraEnv, openTestStore, type TestStore, createTestDatabase, type TestDatabase } from '@blotter/test-kit';
import t from 'tap';
import {
  allReadModels,
  ProjectionRunner,
  readCheckpoints,
  rebuildReadModels,
  StreamMismatchError,
  streamIdentity,
  verifyReadModels,
} from '../src/index.ts';
import { openAccount } from './seed.ts';
import { eventually } from '@blotter/test-kit/procs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const PARTITIONS = 2;

function runner(store: EventStore, tdb: TestDatabase, onFatal?: (err: StreamMismatchError) => void) {
  return new ProjectionRunner({
    store,
    db: tdb.db,
    schema: 'public',
    models: allReadModels,
    group: 'proj',
    log: silentLogger,
    ackWaitMs: 2000,
    ...(onFatal ? { onFatal } : {}),
  });
}

const balanceOwners = async (tdb: TestDatabase) =>
  new Set((await tdb.db.selectFrom('balances').select('userId').execute()).map((r) => r.userId));

/** Opens `n` accounts; returns their ids. */
async function openAccounts(store: EventStore, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => uuidv7());
  for (const id of ids) await openAccount(store, id);
  return ids;
}

const projected = async (tdb: TestDatabase, users: string[]) => {
  const owners = await balanceOwners(tdb);
  return users.every((u) => owners.has(u));
};

async function projectAll(store: EventStore, tdb: TestDatabase, users: string[]) {
  const r = runner(store, tdb);
  await r.start();
  await eventually(() => projected(tdb, users), 30_000, 'projection');
  await r.stop();
}

/** The namespace's stream deleted and created again, empty: what `rm -rf .data` does to a clone. */
async function recreate(ctx: TestStore): Promise<EventStore> {
  await deleteNamespace(ctx.nc, ctx.namespace);
  return EventStore.open(ctx.nc, { ...defaultStreamOptions(ctx.namespace), partitions: PARTITIONS });
}

t.test('a recreated stream: the projector refuses instead of skipping, and rebuild --reset rebuilds from it', async (t) => {
  const ctx = await openTestStore({ partitions: PARTITIONS });
  const tdb = await createTestDatabase();
  t.teardown(async () => {
    await tdb.drop();
    await ctx.close();
  });
  const before = await openAccounts(ctx.store, 12);
  await projectAll(ctx.store, tdb, before);
  const oldKey = (await streamIdentity(ctx.store)).key;
  t.ok(
    (await readCheckpoints(tdb.db, 'public')).every((c) => c.stream === oldKey),
    'checkpoints carry the stream',
  );

  const store = await recreate(ctx);
  const identity = await streamIdentity(store);
  t.not(identity.key, oldKey, 'a recreated stream has another identity');
  const after = await openAccounts(store, 3);
  t.ok(identity.lastSeq < Math.max(...(await readCheckpoints(tdb.db, 'public')).map((c) => c.seq)), 'the checkpoints are ahead of it');

  const refused = runner(store, tdb);
  await t.rejects(refused.start(), {
    name: 'StreamMismatchError',
    message: new RegExp(
      `^the read models in schema public were built from stream ${oldKey}, not from ${identity.key} .*\`\\./blotter rebuild --reset\``,
    ),
  });
  t.same(refused.activePartitions(), [], 'no partition was opened');
  const owners = await balanceOwners(tdb);
  t.ok(before.every((u) => owners.has(u)) && after.every((u) => !owners.has(u)), 'the read models are untouched');

  const report = await verifyReadModels(store, tdb.db, 'public');
  t.equal(report.ok, false, 'verify fails');
  t.match(report.stream, { current: identity.key, builtFrom: [oldKey], matches: false, hint: /rebuild --reset/ });

  await t.rejects(
    rebuildReadModels(
      store,
      tdb.db,
      'public',
      allReadModels.map((m) => m.name),
    ),
    StreamMismatchError,
    'a plain rebuild refuses too (it would swap in at the old checkpoints)',
  );

  const reset = await rebuildReadModels(
    store,
    tdb.db,
    'public',
    allReadModels.map((m) => m.name),
    { reset: true },
  );
  t.match(reset, { reset: true, commits: after.length });
  t.same([...(await balanceOwners(tdb))].sort(), [...after].sort(), "the read models are the new stream's");
  const now = await streamIdentity(store);
  t.ok((await readCheckpoints(tdb.db, 'public')).every((c) => c.stream === now.key && c.seq <= now.lastSeq));
  t.equal((await verifyReadModels(store, tdb.db, 'public')).ok, true, 'verify passes after the reset');

  // The projector starts now, and what the stream gets next is projected, not skipped.
  const r = runner(store, tdb);
  await r.start();
  try {
    const later = await openAccounts(store, 2);
    await eventually(() => projected(tdb, later), 30_000, 'the new accounts');
    t.same([...(await balanceOwners(tdb))].sort(), [...after, ...later].sort());
  } finally {
    await r.stop();
  }
});

t.test('checkpoints from before the identity was recorded: adopted when they fit the stream, refused when past its end', async (t) => {
  const ctx = await openTestStore({ partitions: PARTITIONS });
  const tdb = await createTestDatabase();
  t.teardown(async () => {
    await tdb.drop();
    await ctx.close();
  });
  const users = await openAccounts(ctx.store, 4);
  await projectAll(ctx.store, tdb, users);
  const identity = await streamIdentity(ctx.store);

  await tdb.db.updateTable('projectionCheckpoints').set({ stream: null }).execute();
  const adopting = runner(ctx.store, tdb);
  await adopting.start();
  await adopting.stop();
  t.ok(
    (await readCheckpoints(tdb.db, 'public')).every((c) => c.stream === identity.key),
    'stamped with this stream',
  );

  await tdb.db
    .updateTable('projectionCheckpoints')
    .set({ stream: null, seq: identity.lastSeq + 1000 })
    .execute();
  await t.rejects(runner(ctx.store, tdb).start(), { name: 'StreamMismatchError', message: /past this stream's last sequence/ });
});

t.test('read models reset onto another stream while a projector runs: it stops instead of mixing histories', async (t) => {
  const a = await openTestStore({ partitions: PARTITIONS });
  const b = await openTestStore({ partitions: PARTITIONS });
  const tdb = await createTestDatabase();
  t.teardown(async () => {
    await tdb.drop();
    await a.close();
    await b.close();
  });
  const first = await openAccounts(a.store, 2);
  let fatal: StreamMismatchError | null = null;
  const r = runner(a.store, tdb, (err) => {
    fatal = err;
  });
  await r.start();
  await eventually(() => projected(tdb, first), 30_000, 'stream A projected');

  const other = await openAccounts(b.store, 1);
  await rebuildReadModels(
    b.store,
    tdb.db,
    'public',
    allReadModels.map((m) => m.name),
    { reset: true },
  );
  const late = await openAccounts(a.store, 1);
  await eventually(() => fatal !== null, 30_000, 'the runner to report the foreign stream');
  t.match(fatal, {
    name: 'StreamMismatchError',
    builtFrom: (await streamIdentity(b.store)).key,
    current: (await streamIdentity(a.store)).key,
  });
  t.same(r.activePartitions(), [], 'the runner stopped');
  t.same([...(await balanceOwners(tdb))], other, "only stream B's account: A's late one was not mixed in");
  t.notOk((await balanceOwners(tdb)).has(late[0] as string));
  await r.stop();
});

t.test('the projector process refuses a recreated stream in one line saying what to run', async (t) => {
  const ctx = await openTestStore({ partitions: PARTITIONS });
  const tdb = await createTestDatabase();
  t.teardown(async () => {
    await tdb.drop();
    await ctx.close();
  });
  const users = await openAccounts(ctx.store, 3);
  await projectAll(ctx.store, tdb, users);
  const store = await recreate(ctx);
  await openAccounts(store, 1);

  const child = spawn(process.execPath, ['--import', '@blotter/ts-loader/register', 'src/server.ts'], {
    cwd: pkg,
    env: {
      PATH: process.env.PATH,
      NATS_URL: infraEnv('NATS_URL'),
      DATABASE_URL: tdb.url,
      BLOTTER_NAMESPACE: ctx.namespace,
      PROJECTOR_PARTITIONS: 'all',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  t.equal(code, 1);
  t.equal(stderr.trimEnd().split('\n').length, 1, stderr);
  t.match(stderr, /^projector: the read models in schema public were built from stream .*: run `\.\/blotter rebuild --reset`/);
  const owners = await balanceOwners(tdb);
  t.ok(users.every((u) => owners.has(u)) && owners.size === users.length, 'nothing was projected');
});
