// 3d. WebSocket fan-out lag with `fanoutClients` connected clients: one user each, authenticated,
// subscribed to `ticker:BTCUSDT` and its own `orders`. A worker thread holds the sockets and
// publishes on NATS (same clock at both ends):
//  - ticker probes on <ns>.market.ticker.BTCUSDT (what the market feed publishes), each fanned out
//    by the gateway to every socket: `fanoutProbesPerSecond` probes/s;
//  - bursts of change notices on <ns>.changes.<userId> (what the projector publishes after a
//    commit), one per user, each routed by the gateway to that user's socket: 2 bursts/s.
// Lag: from just before the publish to the message's arrival at each client.
import { infraEnv } from '@blotter/test-kit';
import { LoadWorker } from '../load/client.ts';
import type { FanoutResult } from '../load/jobs.ts';
import type { Metric, ScenarioContext } from '../report.ts';
import { provisionUsers, startBenchStack } from '../stack.ts';
import { type LatencySummary, medianSummary, summarize } from '../stats.ts';

export async function fanout(ctx: ScenarioContext): Promise<Metric[]> {
  const { rounds, sizes, progress } = ctx;
  const { stack, close } = await startBenchStack();
  const load = new LoadWorker((text) => progress.set(text));
  const ticker: LatencySummary[] = [];
  const orders: LatencySummary[] = [];
  const lost: { ticker: number; orders: number }[] = [];
  try {
    const users = await provisionUsers(stack, sizes.fanoutClients, (n) => progress.set(`provisioning users ${n}/${sizes.fanoutClients}`));
    await stack.projected();
    const info = await load.setup({
      kind: 'fanout',
      url: stack.url,
      natsUrl: infraEnv('NATS_URL'),
      namespace: stack.namespace,
      users,
      symbol: 'BTCUSDT',
    });
    progress.log(`  ${info} connected, authenticated and subscribed`);
    for (let r = 0; r < rounds; r++) {
      const res = await load.round<FanoutResult>({
        kind: 'fanout',
        round: r,
        seconds: sizes.fanoutSeconds,
        probesPerSecond: sizes.fanoutProbesPerSecond,
        noticeBurstsPerSecond: 2,
      });
      // Anything that never arrived counts as infinitely late.
      const t = summarize([
        ...res.ticker,
        ...Array.from({ length: res.tickerExpected - res.ticker.length }, () => Number.POSITIVE_INFINITY),
      ]);
      const o = summarize([
        ...res.orders,
        ...Array.from({ length: res.ordersExpected - res.orders.length }, () => Number.POSITIVE_INFINITY),
      ]);
      ticker.push(t);
      orders.push(o);
      lost.push({ ticker: res.tickerExpected - res.ticker.length, orders: res.ordersExpected - res.orders.length });
      progress.log(
        `  fan-out round ${r + 1}: ticker p50 ${t.p50.toFixed(1)} p99 ${t.p99.toFixed(1)} ms (${res.ticker.length}/${res.tickerExpected}); orders p50 ${o.p50.toFixed(1)} p99 ${o.p99.toFixed(1)} ms (${res.orders.length}/${res.ordersExpected})`,
      );
    }
  } finally {
    await load.close();
    await close();
  }
  const t = medianSummary(ticker);
  const o = medianSummary(orders);
  const clients = sizes.fanoutClients;
  return [
    {
      id: 'blotter.fanout.ticker',
      label: `WS fan-out lag, ticker → ${clients.toLocaleString('en-US')} clients`,
      unit: 'ms',
      rounds: ticker.map((s) => s.p99),
      value: t.p99,
      latency: t,
      detail: `${sizes.fanoutProbesPerSecond} ticker probes/s × ${clients} sockets, ${sizes.fanoutSeconds} s/round; lost ${lost.map((l) => l.ticker).join('/')}`,
      extra: { lost },
    },
    {
      id: 'blotter.fanout.orders',
      label: `WS fan-out lag, change notice → own socket (${clients.toLocaleString('en-US')})`,
      unit: 'ms',
      rounds: orders.map((s) => s.p99),
      value: o.p99,
      latency: o,
      detail: `2 bursts/s of ${clients} notices (one per user), ${sizes.fanoutSeconds} s/round; lost ${lost.map((l) => l.orders).join('/')}`,
      extra: { lost },
    },
  ];
}
