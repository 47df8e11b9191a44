// Crash and restart, long version (`make test-faults`): 1,200 orders from 10 users over two
// gateway processes while the chaos controller SIGKILLs the executor, the projector and a gateway
// ten times each (every other projector kill mid-batch), restarting each after 0.2-2 s, and
// SIGKILLs and restarts the NATS server once. Same checks as the short version
// (crash.int.test.ts); RELIABILITY_ORDERS and RELIABILITY_SEED vary the run.
import t from 'tap';
import { assertCrash, runCrash } from '../src/crash.ts';

t.setTimeout(40 * 60_000);
t.test('crash and restart under load, many kills', async (t) => {
  const res = await runCrash(t, {
    label: 'crash-long',
    users: 10,
    orders: Number(process.env.RELIABILITY_ORDERS ?? 1200),
    ratePerSecond: 10,
    chaos: { executor: 10, projector: 10, gateway: 10, nats: 1 },
    downMs: [200, 2000],
    seed: Number(process.env.RELIABILITY_SEED ?? 1234),
    settleTimeoutMs: 300_000,
    idleGiveUpMs: 60_000,
    projectorFreezeMs: (n) => (n % 2 === 0 ? 800 : 0),
  });
  t.ok(res.stats.placements >= 1000, `at least 1,000 orders sent (${res.stats.placements})`);
  assertCrash(t, res);
});
