// Crash and restart, short version (`make test`): 150 orders from 6 users over two gateway
// processes while the executor, the projector (mid-batch: its database link is held for 0.8 s
// first, so a transaction is in flight) and one gateway are each SIGKILLed once and restarted, and
// the NATS server is SIGKILLed and started again on the same port and store. Then: nothing
// accepted is lost, one venue order per client order id, every fill recorded once, read models
// equal to a rebuild. The long version is crash.faults.test.ts (`make test-faults`).
import t from 'tap';
import { assertCrash, runCrash } from '../src/crash.ts';

t.setTimeout(290_000);
t.test('crash and restart under load', async (t) => {
  const res = await runCrash(t, {
    label: 'crash-short',
    users: 6,
    orders: 150,
    ratePerSecond: 8,
    chaos: { executor: 1, projector: 1, gateway: 1, nats: 1 },
    downMs: [300, 1500],
    seed: Number(process.env.RELIABILITY_SEED ?? 7),
    settleTimeoutMs: 90_000,
    idleGiveUpMs: 30_000,
    projectorFreezeMs: () => 800,
  });
  assertCrash(t, res);
});
