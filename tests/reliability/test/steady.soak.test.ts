// Soak (`make soak`): a sustained load at a steady rate (default 20 orders/s for 10 minutes;
// SOAK_MINUTES, SOAK_RATE) through both gateway processes, sampling every 30 s (SOAK_SAMPLE_S) the
// resident memory of every process and the projection lag (num_pending + num_ack_pending of the
// projector consumers). Prints the table over time and asserts no upward trend: the last third's
// median RSS within 20% of the middle third's for every Blotter process (nats-server's and the
// test process's are reported, not judged), the lag not growing and draining to 0 once the load
// stops; then nothing accepted is lost and the read models verify clean.
import { verifyReadModels } from '@blotter/read-models';
import t from 'tap';
import { Cluster } from '../src/cluster.ts';
import { fmtCounts } from '../src/crash.ts';
import { call } from '../src/http.ts';
import { LoadClient } from '../src/load.ts';
import { sleep, eventually } from '@blotter/test-kit';
import { saveSummary } from '../src/report.ts';

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const rate = Number(process.env.SOAK_RATE ?? 20);
const sampleMs = Number(process.env.SOAK_SAMPLE_S ?? 30) * 1000;
t.setTimeout((minutes * 60 + 900) * 1000);

const t0 = Date.now();
const c = await Cluster.start({
  // The executor's default poll period: every resting order is polled, so 1 s would measure the poller.
  executorEnv: { EXECUTOR_POLL_MS: '5000', EXECUTOR_RECONCILE_MS: '60000' },
});
t.teardown(() => c.close());
const users = await c.registerUsers(10, 'soak');
for (const [i, u] of users.entries()) {
  for (const [symbol, quantity] of [
    ['BTCUSDT', '0.02'],
    ['ETHUSDT', '0.4'],
  ] as const)
    await call(c.gatewayUrls[i % 2] as string, 'POST', '/api/orders', u.token, {
      symbol,
      side: 'BUY',
      type: 'MARKET',
      quantity,
      clientOrderId: `warm-${symbol}`,
    });
}
await eventually(async () => (await c.totalLag('projector')) === 0 && (await c.totalLag('executor')) === 0, 90_000, 'warm-up processed');

const load = new LoadClient({
  users,
  gatewayUrls: c.gatewayUrls,
  orders: Math.round(minutes * 60 * rate),
  ratePerSecond: rate,
  // Most resting orders are canceled again, as traders do: open orders stay bounded.
  cancelShare: 0.4,
  seed: 99,
  runId: `soak-${c.namespace}`,
  price: (s) => Number(c.sim.simulator.market.price(s, c.sim.simulator.now()).toString()),
});

interface Sample {
  at: number;
  rss: Record<string, number>;
  projectorLag: number;
  executorLag: number;
  answered: number;
  p50: number;
  p99: number;
  commits: number;
}
const samples: Sample[] = [];
const names = [...c.procs.map((p) => p.name), 'test-process'];
const rssMb = (kb: number | null) => Math.round((kb ?? 0) / 1024);
let answeredBefore = 0;
const header = `${'t'.padStart(6)} ${names.map((n) => n.padStart(12)).join(' ')} ${'proj lag'.padStart(9)} ${'exec lag'.padStart(9)} ${'orders/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'commits'.padStart(8)}`;
const row = (s: Sample) =>
  `${`${Math.round((s.at - tLoad) / 1000)}s`.padStart(6)} ${names.map((n) => `${s.rss[n] ?? 0} MB`.padStart(12)).join(' ')} ${String(s.projectorLag).padStart(9)} ${String(s.executorLag).padStart(9)} ${s.answered.toFixed(1).padStart(9)} ${String(s.p50).padStart(7)} ${String(s.p99).padStart(7)} ${String(s.commits).padStart(8)}`;

async function sample(): Promise<Sample> {
  const rss: Record<string, number> = {};
  for (const p of c.procs) rss[p.name] = rssMb(p.rssKb());
  rss['test-process'] = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const answered = load.placed.filter((p) => p.status).length;
  const lat = load.takeLatencies().sort((a, b) => a - b);
  const s: Sample = {
    at: Date.now(),
    rss,
    projectorLag: await c.totalLag('projector'),
    executorLag: await c.totalLag('executor'),
    answered: (answered - answeredBefore) / (sampleMs / 1000),
    p50: lat[Math.floor(lat.length * 0.5)] ?? 0,
    p99: lat[Math.floor(lat.length * 0.99)] ?? 0,
    commits: await c.store.lastSeq(),
  };
  answeredBefore = answered;
  return s;
}

process.stderr.write(`[soak] ${minutes} min at ${rate} orders/s, sampling every ${sampleMs / 1000} s; logs in ${c.dir}\n${header}\n`);
const tLoad = Date.now();
const running = load.run();
let done = false;
void running.finally(() => {
  done = true;
});
while (!done) {
  const next = tLoad + (samples.length + 1) * sampleMs;
  while (!done && Date.now() < next) await sleep(Math.min(1000, next - Date.now()));
  if (done) break;
  const s = await sample();
  samples.push(s);
  process.stderr.write(`${row(s)}\n`);
}
const stats = await running;
const loadMs = Date.now() - tLoad;
const drainStart = Date.now();
await eventually(async () => (await c.totalLag('projector')) === 0, 120_000, 'the projection lag to drain after the load').catch(() => {});
const drainMs = Date.now() - drainStart;
const finalLag = await c.totalLag('projector');
// Everything that needs the system is read before the first assertion: tap may end the root test
// (and run the teardown that closes the cluster) once assertions were made and the file awaits.
const accepted = load.accepted();
const subjects = new Set<string>();
for await (const commit of c.store.read()) subjects.add(commit.subject);
const lost = accepted.filter((p) => !subjects.has(c.store.subjects.order(p.user.userId, p.orderId as string))).length;
const tVerify = Date.now();
const report = await verifyReadModels(c.store, c.db, 'public');
const verifyMs = Date.now() - tVerify;
const deadLetters = await c.deadLetters();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] as number) : 0;
};
const third = Math.floor(samples.length / 3);
const middle = samples.slice(third, 2 * third);
const last = samples.slice(2 * third);
const lines: string[] = [`-- soak: ${minutes} min at ${rate} orders/s (sample every ${sampleMs / 1000} s) --`, header, ...samples.map(row)];
const verdicts: string[] = [];
t.ok(samples.length >= 3, `enough samples (${samples.length})`);
for (const n of names) {
  const mid = median(middle.map((s) => s.rss[n] ?? 0));
  const end = median(last.map((s) => s.rss[n] ?? 0));
  const growth = mid > 0 ? end / mid - 1 : 0;
  verdicts.push(`${n}: middle third ${mid} MB, last third ${end} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%)`);
  // nats-server's memory follows what it stores (one subject per order in its index, the block
  // cache), and this process holds the load's records: both are reported, not judged.
  if (n !== 'test-process' && n !== 'nats') t.ok(end <= mid * 1.2, `${n}: no upward RSS trend (${mid} -> ${end} MB)`);
}
const midLag = median(middle.map((s) => s.projectorLag));
const endLag = median(last.map((s) => s.projectorLag));
t.ok(endLag <= Math.max(100, 2 * midLag), `projection lag does not grow (median ${midLag} -> ${endLag})`);
t.equal(finalLag, 0, `the lag drains to 0 after the load (${drainMs} ms)`);
t.equal(stats.unanswered, 0, 'every request answered');

t.equal(lost, 0, `no accepted order lost (${accepted.length})`);
t.ok(report.ok, `verifyReadModels clean (${report.differences.length} differences over ${report.commits} commits)`);
lines.push(
  ...verdicts,
  `projection lag: median middle third ${midLag}, last third ${endLag}; drained to ${finalLag} ${drainMs} ms after the load`,
  `orders: ${stats.placements} placements + ${stats.cancels} cancels in ${(loadMs / 1000).toFixed(0)} s (${((stats.placements + stats.cancels) / (loadMs / 1000)).toFixed(1)} req/s); ${fmtCounts(stats.placeStatus)}; retried ${fmtCounts(stats.retries)}; lost ${lost}`,
  `verify: ${report.ok ? 'clean' : 'NOT CLEAN'} over ${report.commits} commits in ${(verifyMs / 1000).toFixed(1)} s; dead letters ${deadLetters}; total ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
const summary = lines.join('\n');
process.stderr.write(`${summary}\n`);
saveSummary('soak', summary);
