// The crash-and-restart scenario shared by crash.int.test.ts (short) and crash.faults.test.ts (long):
// boot the processes, register users, run the order load against both gateways while the chaos
// controller kills and restarts processes and NATS, let everything settle, check, print figures.
import type { Test } from 'tap';
import { Chaos, plan, type Target } from './chaos.ts';
import { check, type Findings, settle, type SettleResult } from './checks.ts';
import { Cluster, type User } from './cluster.ts';
import { call } from './http.ts';
import { LoadClient, type LoadStats } from './load.ts';
import { eventually } from '@blotter/test-kit';
import { saveSummary, table } from './report.ts';

export interface CrashOptions {
  label: string;
  users: number;
  orders: number;
  ratePerSecond: number;
  /** SIGKILLs per target over the load. */
  chaos: Partial<Record<Target, number>>;
  downMs: [number, number];
  seed: number;
  settleTimeoutMs: number;
  /** Give up settling once the consumers have been idle this long without agreement. */
  idleGiveUpMs?: number;
  /** Hold the projector's database link before its n-th kill (ms, 0 = plain kill). */
  projectorFreezeMs?: (n: number) => number;
}

export interface CrashResult {
  findings: Findings;
  stats: LoadStats;
  settle: SettleResult;
  summary: string;
}

export const fmtCounts = (r: Record<string, number>) =>
  Object.entries(r)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

/** Each user buys some BTC and ETH first (so SELL orders have something to sell), all filled. */
async function warmUp(c: Cluster, users: readonly User[]): Promise<void> {
  const ids: { u: User; id: string }[] = [];
  for (const [i, u] of users.entries()) {
    for (const [symbol, quantity] of [
      ['BTCUSDT', '0.01'],
      ['ETHUSDT', '0.2'],
    ] as const) {
      const r = await call(c.gatewayUrls[i % c.gatewayUrls.length] as string, 'POST', '/api/orders', u.token, {
        symbol,
        side: 'BUY',
        type: 'MARKET',
        quantity,
        clientOrderId: `warm-${symbol}`,
      });
      if (r.status !== 201 || !r.json.order) throw new Error(`warm-up order: ${r.status} ${JSON.stringify(r.json)}`);
      ids.push({ u, id: r.json.order.orderId });
    }
  }
  await eventually(
    async () => {
      const rows = await c.db
        .selectFrom('orders')
        .select('status')
        .where(
          'orderId',
          'in',
          ids.map((x) => x.id),
        )
        .execute();
      return rows.length === ids.length && rows.every((r) => r.status === 'FILLED');
    },
    90_000,
    'the warm-up orders to be filled and projected',
  );
}

const stallSummary = (s: SettleResult) =>
  s.stalls.length === 0
    ? 'none'
    : s.stalls
        .map(
          (x) =>
            `${x.consumer} (lag ${x.lag}, stuck ${(x.stuckMs / 1000).toFixed(0)} s; ${x.restarted} restarted, ready in ${(x.restartMs / 1000).toFixed(1)} s)`,
        )
        .join('; ');

export async function runCrash(t: Test, o: CrashOptions): Promise<CrashResult> {
  const t0 = Date.now();
  const log = (line: string) => process.stderr.write(`[${o.label}] ${line}\n`);
  const c = await Cluster.start({ projectorProxy: true });
  let keepLogs = false;
  t.teardown(() => c.close({ keepLogs: keepLogs || !t.passing() }));
  const bootMs = Date.now() - t0;
  log(`booted in ${bootMs} ms: nats ${c.natsUrl}, gateways ${c.gatewayUrls.join(' ')}, logs in ${c.dir}`);

  const users = await c.registerUsers(o.users);
  await warmUp(c, users);
  const warmMs = Date.now() - t0 - bootMs;
  const price = (symbol: string) => Number(c.sim.simulator.market.price(symbol, c.sim.simulator.now()).toString());
  const load = new LoadClient({
    users,
    gatewayUrls: c.gatewayUrls,
    orders: o.orders,
    ratePerSecond: o.ratePerSecond,
    seed: o.seed,
    runId: `${o.label}-${c.namespace}`,
    price,
  });
  const expectedMs = (o.orders / o.ratePerSecond) * 1000;
  const chaos = new Chaos(c, plan(o.chaos, expectedMs, o.seed), {
    downMs: o.downMs,
    seed: o.seed,
    log,
    ...(o.projectorFreezeMs ? { projectorFreezeMs: o.projectorFreezeMs } : {}),
  });
  const tLoad = Date.now();
  const progress = setInterval(
    () =>
      log(
        `+${((Date.now() - tLoad) / 1000).toFixed(0)}s: ${load.placed.length} sent, ${load.placed.filter((p) => p.status).length} answered`,
      ),
    20_000,
  );
  const [stats] = await Promise.all([load.run(), chaos.run()]).finally(() => clearInterval(progress));
  const loadMs = Date.now() - tLoad;
  log(`load and chaos done in ${loadMs} ms`);

  // Everything must be up for the system to settle (chaos restarts what it kills; this is a guard).
  for (const p of c.procs) if (!p.running) await c.restart(p);
  const tSettle = Date.now();
  const settled = await settle(c, users, o.settleTimeoutMs, o.idleGiveUpMs);
  log(`settle: ${JSON.stringify(settled)}`);
  const tCheck = Date.now();
  const findings = await check(c, users, load.accepted());
  const checkMs = Date.now() - tCheck;

  const kills = chaos.counts();
  const restarts = chaos.records.filter((r) => !r.error);
  const readyTimes = restarts.map((r) => r.readyMs).sort((a, b) => a - b);
  const p50 = readyTimes[Math.floor(readyTimes.length / 2)] ?? 0;
  const warnings: Record<string, number> = {};
  for (const p of c.procs) for (const e of p.events) warnings[`${p.name}: ${e.msg}`] = (warnings[`${p.name}: ${e.msg}`] ?? 0) + 1;
  const { write: w, read: r } = findings;
  const summary = table(`crash and restart: ${o.label} (seed ${o.seed})`, [
    [
      'orders sent',
      `${stats.placements} placements + ${stats.cancels} cancels by ${o.users} users to 2 gateways at ${o.ratePerSecond}/s (+${o.users * 2} warm-up buys)`,
    ],
    ['answers (placements)', fmtCounts(stats.placeStatus)],
    ['answers (cancels)', fmtCounts(stats.cancelStatus)],
    ['attempts retried', `${fmtCounts(stats.retries)}; slowest answer ${stats.maxLatencyMs} ms; unanswered ${stats.unanswered}`],
    ['accepted (2xx)', `${w.accepted}`],
    ['kills (SIGKILL)', fmtCounts(Object.fromEntries(Object.entries(kills).filter(([k]) => k !== 'nats')))],
    ['NATS restarts', `${kills.nats ?? 0} (SIGKILL, same port and store)`],
    [
      'restarts',
      `${restarts.length}, ready again in p50 ${(p50 / 1000).toFixed(1)} s, max ${((readyTimes.at(-1) ?? 0) / 1000).toFixed(1)} s${chaos.records.some((x) => x.error) ? `; FAILED: ${chaos.records.filter((x) => x.error).length}` : ''}`,
    ],
    ['lost', `${w.lost.length} (accepted, not in the stream)`],
    ['unsettled', `${w.unsettled.length} (accepted, neither final nor resting)`],
    ['duplicated', `${w.duplicatedVenueOrders.length} venue orders, ${w.duplicatedFills.length} fills recorded twice`],
    [
      'venue orders',
      `${w.venueOrders} for ${w.ordersInStream} orders in the stream; stray ${w.strayVenueOrders.length}, missing ${w.missingAtVenue.length}, disagreeing ${w.venueMismatches.length}`,
    ],
    [
      'fills',
      `venue ${w.venueFills}, OrderFilled events ${w.fillEvents}; missing ${w.missingFills.length}, phantom ${w.phantomFills.length}`,
    ],
    [
      'read models',
      `verify ${r.verify.ok ? 'clean' : 'NOT CLEAN'} (${r.verify.commits} commits, ${r.verify.differences} row differences, ${r.verify.brokenLinks} broken links); dead letters ${r.deadLetters}`,
    ],
    [
      'read vs venue',
      `${r.tradeRows} trade rows (missing ${r.missingTradeRows.length}, extra ${r.extraTradeRows.length}); order rows disagreeing ${r.orderRowMismatches.length}; balances differing ${r.balanceMismatches.length}`,
    ],
    ['final statuses', fmtCounts(w.statuses)],
    ['stalled partitions', stallSummary(settled)],
    [
      'settled',
      `${settled.settled ? 'yes' : 'NO'} in ${(settled.ms / 1000).toFixed(1)} s${settled.settled ? '' : ` ${JSON.stringify(settled.last)}`}; read side agrees: ${settled.readSideAgrees ? 'yes' : 'NO'}`,
    ],
    [
      'elapsed',
      `boot ${(bootMs / 1000).toFixed(1)} s, users+warm-up ${(warmMs / 1000).toFixed(1)} s, load ${(loadMs / 1000).toFixed(1)} s, settle ${((tCheck - tSettle) / 1000).toFixed(1)} s, checks ${(checkMs / 1000).toFixed(1)} s, total ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    ],
    ['service warnings', fmtCounts(warnings)],
  ]);
  process.stderr.write(`${summary}\n`);
  saveSummary(o.label, summary, { findings, settle: settled, chaos: chaos.records, stats });
  const writeFailed =
    w.lost.length + w.unsettled.length + w.duplicatedVenueOrders.length + w.duplicatedFills.length + w.missingFills.length > 0;
  if (writeFailed || !r.verify.ok || !settled.settled) {
    keepLogs = true;
    log(`logs kept in ${c.dir}; details in tests/reliability/results/${o.label}.json`);
  }
  return { findings, stats, settle: settled, summary };
}

/** The assertions, the same for the short and the long version. */
export function assertCrash(t: Test, res: CrashResult): void {
  const { write: w, read: r } = res.findings;
  t.same(
    res.settle.stalls.map((s) => s.consumer),
    [],
    'no partition stalls after the kills (none needed a restart to move again)',
  );
  t.ok(res.settle.settled, 'the system settles: consumers caught up, nothing PENDING in the stream, the stream agrees with the venue');
  t.equal(res.stats.unanswered, 0, 'every request got an answer in the end');
  t.equal(w.lost.length, 0, 'every accepted order is in the stream');
  t.equal(w.unsettled.length, 0, 'every accepted order is final or resting');
  t.equal(w.duplicatedVenueOrders.length, 0, 'exactly one venue order per client order id');
  t.equal(w.strayVenueOrders.length, 0, 'no venue order we do not know');
  t.equal(w.missingAtVenue.length, 0, 'every order the stream says the venue acknowledged is at the venue');
  t.equal(w.duplicatedFills.length, 0, 'no venue fill recorded twice');
  t.equal(w.missingFills.length, 0, 'every venue fill recorded');
  t.equal(w.phantomFills.length, 0, 'no fill the venue did not make');
  t.same(w.venueMismatches, [], 'every order in the stream agrees with the venue (filled quantity, open or not)');
  t.test('read models: exactly-once effects of the stream', async (t) => {
    t.ok(r.verify.ok, `verifyReadModels is clean (${r.verify.differences} differences)`);
    t.equal(r.deadLetters, 0, 'nothing dead-lettered');
    t.same(r.missingTradeRows, [], 'every recorded fill has its trades row');
    t.same(r.extraTradeRows, [], 'no trades row without its fill');
    t.same(r.orderRowMismatches, [], 'every order row agrees with the venue');
    t.same(r.balanceMismatches, [], 'every balance (free + locked) equals the venue');
    t.ok(res.settle.readSideAgrees, 'the read side caught up with the venue');
  });
}
