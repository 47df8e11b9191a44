// 3b. POST → FILLED latency at a fixed offered rate. A whole Blotter with the executor as its own
// process, as in production (orders go to the Binance-compatible simulator, which runs in the
// gateway's process, through node-binance-api), load from a worker thread:
// every user has a WebSocket subscribed to its `orders` channel; orders (MARKET BUY 0.0002 BTCUSDT,
// each with its own clientOrderId) are sent open-loop at `latencyRate`/s round-robin over
// `latencyUsers` users (5/s each: under the default ORDER_RATE_PER_SECOND of 20, left unchanged).
// Latency: from just before the POST to the WebSocket `update` whose row has that clientOrderId
// and status FILLED. An order still unfilled 30 s after the last send counts as infinitely late.
// Before the target rate, the same rounds run at `latencyLowRate`/s (row 3b″, no target): a rate
// this machine sustains, to tell Blotter's own latency apart from queueing in an overloaded one.
import { LoadWorker } from '../load/client.ts';
import type { LatencyResult, OrderBody } from '../load/jobs.ts';
import { type CpuProfile, startProfiling } from '../profile.ts';
import type { Metric, ScenarioContext } from '../report.ts';
import { provisionUsers, startBenchStack, waitTicker } from '../stack.ts';
import { type LatencySummary, medianSummary, summarize } from '../stats.ts';

export const LATENCY_ORDER: OrderBody = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.0002' };

export async function postToFilled(ctx: ScenarioContext, options: { profile?: (p: CpuProfile) => void } = {}): Promise<Metric[]> {
  const { sizes, progress } = ctx;
  const rounds = options.profile ? 1 : ctx.rounds;
  const { stack, close } = await startBenchStack({}, { executor: true });
  const load = new LoadWorker((text) => progress.set(text));
  const metrics: Metric[] = [];
  /** `rounds` rounds at `rate`/s; the median of their percentiles as one metric. */
  const measure = async (id: string, rate: number, roundBase: number, profile: boolean): Promise<Metric> => {
    const summaries: LatencySummary[] = [];
    const http: LatencySummary[] = [];
    const results: LatencyResult[] = [];
    for (let r = 0; r < rounds; r++) {
      const stop = profile && options.profile ? await startProfiling() : null;
      const res = await load.round<LatencyResult>({
        kind: 'latency',
        round: roundBase + r,
        rate,
        seconds: sizes.latencySeconds,
        drainSeconds: 30,
      });
      if (stop) options.profile?.(await stop());
      results.push(res);
      const samples = [...res.latencies, ...Array.from({ length: res.unfilled }, () => Number.POSITIVE_INFINITY)];
      const s = summarize(samples);
      summaries.push(s);
      http.push(summarize(res.httpLatencies));
      progress.log(
        `  POST→FILLED at ${rate}/s round ${r + 1}: p50 ${s.p50.toFixed(1)} p95 ${s.p95.toFixed(1)} p99 ${s.p99.toFixed(1)} ms; offered ${res.achievedRate.toFixed(0)}/s; unfilled ${res.unfilled}; statuses ${JSON.stringify(res.statuses)}`,
      );
    }
    const latency = medianSummary(summaries);
    const httpMedian = medianSummary(http);
    return {
      id,
      label: `POST → FILLED on WebSocket at ${rate}/s (executor on)`,
      unit: 'ms',
      rounds: summaries.map((s) => s.p99),
      value: latency.p99,
      latency,
      detail: `open loop, ${sizes.latencySeconds} s/round, ${sizes.latencyUsers} users × ${rate / sizes.latencyUsers}/s; HTTP answer p50 ${httpMedian.p50.toFixed(1)} ms p99 ${httpMedian.p99.toFixed(1)} ms; unfilled ${results.map((r) => r.unfilled).join('/')}`,
      extra: {
        rate,
        achievedRates: results.map((r) => r.achievedRate),
        unfilled: results.map((r) => r.unfilled),
        statuses: results.map((r) => r.statuses),
        http: httpMedian,
      },
    };
  };
  try {
    const users = await provisionUsers(stack, sizes.latencyUsers, (n) => progress.set(`provisioning users ${n}/${sizes.latencyUsers}`));
    await stack.projected();
    await waitTicker(stack, 'BTCUSDT');
    await load.setup({ kind: 'latency', url: stack.url, users, order: LATENCY_ORDER });
    // Warm-up (not counted): the JIT, the pools and the executor's venue clients, at a rate that
    // leaves no backlog behind.
    progress.set('warming up');
    await load.round({ kind: 'latency', round: 99, rate: sizes.latencyLowRate, seconds: 3, drainSeconds: 30 });
    // The profiled run measures only the target rate.
    if (!options.profile) metrics.push(await measure('blotter.latency.low', sizes.latencyLowRate, 10, false));
    metrics.push(await measure('blotter.latency', sizes.latencyRate, 0, true));
  } finally {
    await load.close();
    await close();
  }
  return metrics;
}
