// 3a. Accepted orders per second through the gateway over real HTTP: a whole Blotter in this
// process (gateway, projector, market feed, simulator; no executor, so nothing but placing orders
// competes with it), load from a worker thread: `gatewayClients` concurrent keep-alive clients,
// each sending POST /api/orders (MARKET BUY 0.0002 BTCUSDT) as soon as its previous answer came,
// round-robin over `gatewayUsers` users. Counted: 2xx answers received inside the measured window.
// ORDER_RATE_PER_SECOND and MAX_OPEN_ORDERS are raised through the stack overrides (the rate
// limiter still runs on every request); nothing else is changed.
import { LoadWorker } from '../load/client.ts';
import type { OrderBody, ThroughputResult } from '../load/jobs.ts';
import { type CpuProfile, startProfiling } from '../profile.ts';
import type { Metric, ScenarioContext } from '../report.ts';
import { provisionUsers, startBenchStack, waitTicker } from '../stack.ts';
import { mainThreadCpuMs, median, summarize } from '../stats.ts';

export const THROUGHPUT_ORDER: OrderBody = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.0002' };
export const THROUGHPUT_OVERRIDES = { ORDER_RATE_PER_SECOND: '1000000', MAX_OPEN_ORDERS: '1000000' };

export async function gatewayThroughput(ctx: ScenarioContext, options: { profile?: (p: CpuProfile) => void } = {}): Promise<Metric[]> {
  const { sizes, progress } = ctx;
  const rounds = options.profile ? 1 : ctx.rounds;
  const { stack, close } = await startBenchStack(THROUGHPUT_OVERRIDES);
  const load = new LoadWorker((text) => progress.set(text));
  const rates: number[] = [];
  const results: ThroughputResult[] = [];
  /** Main thread (Blotter) CPU time / wall time over each round. */
  const cpuShares: number[] = [];
  try {
    const users = await provisionUsers(stack, sizes.gatewayUsers, (n) => progress.set(`provisioning users ${n}/${sizes.gatewayUsers}`));
    await stack.projected();
    await waitTicker(stack, 'BTCUSDT');
    await load.setup({ kind: 'throughput', url: stack.url, users, clients: sizes.gatewayClients, order: THROUGHPUT_ORDER });
    if (options.profile) {
      // Warm the JIT first, as the measured rounds are.
      await load.round({ kind: 'throughput', round: 99, warmupSeconds: 2, seconds: 1 });
    }
    for (let r = 0; r < rounds; r++) {
      const stop = options.profile ? await startProfiling() : null;
      const cpu0 = mainThreadCpuMs();
      const wall0 = performance.now();
      const res = await load.round<ThroughputResult>({
        kind: 'throughput',
        round: r,
        warmupSeconds: r === 0 ? 2 : 1,
        seconds: sizes.gatewaySeconds,
      });
      const share = (mainThreadCpuMs() - cpu0) / (performance.now() - wall0);
      if (stop) options.profile?.(await stop());
      results.push(res);
      rates.push(res.accepted / res.seconds);
      cpuShares.push(share);
      const s = summarize(res.latencies);
      progress.log(
        `  gateway round ${r + 1}: ${(res.accepted / res.seconds).toFixed(0)} accepted/s; statuses ${JSON.stringify(res.statuses)}; response p50 ${s.p50.toFixed(1)} ms p99 ${s.p99.toFixed(1)} ms; main thread CPU ${(100 * share).toFixed(0)}% = ${((1000 * share) / (res.accepted / res.seconds)).toFixed(2)} ms/order`,
      );
    }
  } finally {
    await load.close();
    await close();
  }
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const responses = results.map((r) => summarize(r.latencies));
  // CPU the main thread (gateway + projector + feed + simulator, not the load generator) spent per
  // accepted order: independent of how much of the machine other processes took.
  const cpuPerOrder = median(rates.map((rate, i) => (1000 * (cpuShares[i] ?? Number.NaN)) / rate));
  return [
    {
      id: 'blotter.gateway',
      label: 'Blotter accepted orders via HTTP (POST /api/orders)',
      unit: 'orders/s',
      rounds: rates,
      value: median(rates),
      detail: `${sizes.gatewayClients} closed-loop clients, ${sizes.gatewayUsers} users, ${sizes.gatewaySeconds} s/round; ORDER_RATE_PER_SECOND and MAX_OPEN_ORDERS raised; response p50 ${median(responses.map((s) => s.p50)).toFixed(1)} ms, p99 ${median(responses.map((s) => s.p99)).toFixed(1)} ms; main thread CPU ${(100 * median(cpuShares)).toFixed(0)}% of wall, ${cpuPerOrder.toFixed(2)} ms per accepted order`,
      extra: { statuses, responseTimes: responses, mainThreadCpuShare: cpuShares, mainThreadCpuMsPerOrder: cpuPerOrder },
    },
  ];
}
