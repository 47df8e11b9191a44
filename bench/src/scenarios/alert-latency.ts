// 3e. Price alert: from the price crossing to the TRIGGERED row on the WebSocket. The market feed
// runs as its own process with the alert evaluator in it (services/market/src/server.ts, as `make
// dev` runs it). `ALERT_USERS` users each hold a socket subscribed to `alerts` and set one alert
// ABOVE a price the simulated market never reaches; then this process publishes one ticker that
// crosses them all, on the subject the feed publishes on (same clock at both ends, as in 3d).
// Latency: from just before that publish to each socket's `update` with the alert TRIGGERED: the
// evaluator's decision and append, the projector, the change notice and the gateway. An alert not
// triggered 30 s later counts as infinitely late.
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { Alert } from '@blotter/schemas';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import WebSocket from 'ws';
import { serverMessage } from '../load/server-message.ts';
import type { Metric, ScenarioContext } from '../report.ts';
import { logLine } from '@blotter/test-kit';
import { type BenchUser, provisionUsers, spawnService, startBenchStack } from '../stack.ts';
import { type LatencySummary, medianSummary, summarize } from '../stats.ts';

const ALERT_USERS = 20;
const CROSSINGS_PER_ROUND = 5;
/** Far above any simulated BTC price: only the bench's own ticker crosses it. */
const FAR = 10_000_000;

interface Socket {
  user: BenchUser;
  ws: WebSocket;
  /** alertId → ms (performance clock) its TRIGGERED update arrived. */
  triggered: Map<string, number>;
  active: Set<string>;
}

const AlertRowsCheck = Compile(Type.Array(Type.Partial(Alert)));

async function openSocket(url: string, user: BenchUser): Promise<Socket> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/ws`);
  const socket: Socket = { user, ws, triggered: new Map(), active: new Set() };
  const snapshot = new Promise<void>((resolve, reject) => {
    ws.on('message', (raw) => {
      const m = serverMessage(raw.toString());
      if (m.type === 'ready') ws.send(JSON.stringify({ type: 'subscribe', channels: ['alerts'] }));
      if (m.type === 'snapshot' && m.channel === 'alerts') resolve();
      if (m.type === 'update' && m.channel === 'alerts' && AlertRowsCheck.Check(m.data)) {
        const now = performance.now();
        for (const a of m.data) {
          if (!a.alertId) continue;
          if (a.status === 'ACTIVE') socket.active.add(a.alertId);
          if (a.status === 'TRIGGERED' && !socket.triggered.has(a.alertId)) socket.triggered.set(a.alertId, now);
        }
      }
    });
    ws.once('error', reject);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'auth', token: user.token }));
  await snapshot;
  return socket;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

export async function alertLatency(ctx: ScenarioContext): Promise<Metric[]> {
  const { rounds, progress } = ctx;
  const { stack, close } = await startBenchStack();
  const sockets: Socket[] = [];
  const summaries: LatencySummary[] = [];
  let late = 0;
  let stopMarket: (() => Promise<void>) | undefined;
  try {
    stopMarket = await spawnService(
      'market',
      'market',
      {
        NATS_URL: stack.natsUrl,
        BLOTTER_NAMESPACE: stack.namespace,
        SIM_URL: stack.simUrl,
        LOG_LEVEL: 'info',
      },
      logLine(/alert evaluator started/),
    );
    const users = await provisionUsers(stack, ALERT_USERS, (n) => progress.set(`provisioning users ${n}/${ALERT_USERS}`));
    await stack.projected();
    for (const u of users) sockets.push(await openSocket(stack.url, u));
    let level = FAR;
    for (let r = 0; r < rounds; r++) {
      const samples: number[] = [];
      for (let c = 0; c < CROSSINGS_PER_ROUND; c++) {
        progress.set(`alerts round ${r + 1}, crossing ${c + 1}/${CROSSINGS_PER_ROUND}`);
        level += 1000;
        const ids = await Promise.all(
          sockets.map(async (s) => {
            const res = await fetch(`${stack.url}/api/alerts`, {
              method: 'POST',
              headers: { authorization: `Bearer ${s.user.token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ symbol: 'BTCUSDT', condition: 'ABOVE', price: String(level) }),
            });
            if (res.status !== 201) throw new Error(`POST /api/alerts: ${res.status} ${await res.text()}`);
            return { s, alertId: ((await res.json()) as { alert: { alertId: string } }).alert.alertId };
          }),
        );
        // Every alert is projected (so its owner's socket is current) before the price moves; the
        // evaluator follows the stream directly and is ahead of the projector.
        await until(() => ids.every(({ s, alertId }) => s.active.has(alertId)), 30_000);
        await sleep(100);
        const t0 = performance.now();
        stack.app.nc.publish(
          stack.store.subjects.ticker('BTCUSDT'),
          JSON.stringify({ symbol: 'BTCUSDT', price: String(level + 1), at: new Date().toISOString() }),
        );
        await until(() => ids.every(({ s, alertId }) => s.triggered.has(alertId)), 30_000);
        for (const { s, alertId } of ids) {
          const at = s.triggered.get(alertId);
          if (at === undefined) late++;
          samples.push(at === undefined ? Number.POSITIVE_INFINITY : at - t0);
        }
      }
      const s = summarize(samples);
      summaries.push(s);
      progress.log(
        `  crossing → TRIGGERED on WebSocket round ${r + 1}: p50 ${s.p50.toFixed(1)} p95 ${s.p95.toFixed(1)} p99 ${s.p99.toFixed(1)} ms`,
      );
    }
  } finally {
    for (const s of sockets) s.ws.close();
    await stopMarket?.();
    await close();
  }
  const latency = medianSummary(summaries);
  return [
    {
      id: 'blotter.alerts',
      label: `price crossing → alert TRIGGERED on WebSocket (${ALERT_USERS} alerts per crossing)`,
      unit: 'ms',
      rounds: summaries.map((s) => s.p99),
      value: latency.p99,
      latency,
      detail: `market feed + evaluator as its own process; ${CROSSINGS_PER_ROUND} crossings/round; never triggered: ${late}`,
      extra: { late },
    },
  ];
}
