// Two projectors started on one host with no INSTANCE_ID each get an identity of their own: they
// split the partitions and then keep them. (With one shared default identity, each took the
// other's leases on every renewal, and the partitions flipped between them for as long as both ran.)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createTestDatabase, infraEnv, openTestStore } from '@blotter/test-kit';
import { childEnv, eventually, Proc } from '@blotter/test-kit/procs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const TTL_MS = 2000;
const ctx = await openTestStore({ partitions: 4 });
const tdb = await createTestDatabase();

interface LeaseLine {
  msg: string;
  partition: number;
  /** Logged with 'lease acquired' and 'lease released' ('lease lost' has none). */
  instance?: string;
}

function projector(name: string): { proc: Proc; leases: LeaseLine[] } {
  const leases: LeaseLine[] = [];
  const { INSTANCE_ID: _unset, ...env } = childEnv();
  const proc = new Proc({
    name,
    command: process.execPath,
    args: ['--import', '@blotter/ts-loader/register', 'src/server.ts'],
    cwd: pkg,
    env: {
      ...env,
      NATS_URL: infraEnv('NATS_URL'),
      DATABASE_URL: tdb.url,
      BLOTTER_NAMESPACE: ctx.namespace,
      PROJECTOR_PARTITIONS: 'auto',
      PROJECTOR_LEASE_TTL_MS: String(TTL_MS),
      LOG_LEVEL: 'info',
    },
    onLine: (line: string) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as Partial<LeaseLine>;
      if (entry.msg?.startsWith('lease ') && entry.partition !== undefined) leases.push(entry as LeaseLine);
    },
  });
  return { proc, leases };
}

/** The partitions an instance holds after the lease lines it logged. */
function held(leases: LeaseLine[]): number[] {
  const now = new Set<number>();
  for (const l of leases) {
    if (l.msg === 'lease acquired') now.add(l.partition);
    else now.delete(l.partition);
  }
  return [...now].sort();
}

const a = projector('projector-a');
const b = projector('projector-b');
t.teardown(async () => {
  await Promise.all([a.proc.stop('SIGTERM'), b.proc.stop('SIGTERM')]);
  await tdb.drop();
  await ctx.close();
});

t.test('two instances with no INSTANCE_ID hold distinct leases and keep them', async (t) => {
  a.proc.start();
  await eventually(() => held(a.leases).length === 4, 60_000, 'the first instance to take all 4');
  b.proc.start();
  await eventually(() => held(a.leases).length === 2 && held(b.leases).length === 2, 60_000, 'an even split');
  t.same([...held(a.leases), ...held(b.leases)].sort(), [0, 1, 2, 3], 'each partition has exactly one holder');
  const ids = (leases: LeaseLine[]) => [...new Set(leases.flatMap((l) => l.instance ?? []))];
  t.equal(ids(a.leases).length, 1, 'one identity per instance');
  t.not(ids(a.leases)[0], ids(b.leases)[0], 'the two instances have distinct identities');

  // Several renewal periods (TTL / 3 each): nothing may change hands any more.
  const logged = a.leases.length + b.leases.length;
  await sleep(3 * TTL_MS);
  t.equal(a.leases.length + b.leases.length, logged, 'no lease was lost, released or taken since the split');
  t.same([...held(a.leases), ...held(b.leases)].sort(), [0, 1, 2, 3]);
});
