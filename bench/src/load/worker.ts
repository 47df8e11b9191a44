// The load generator, in a worker thread: its own event loop, so a busy gateway (main thread) does
// not slow the generator's scheduling, and the main thread's CPU profile holds only Blotter.
// Clocks: `now()` (timeOrigin + performance.now()) is used on both ends of every latency here, in
// this thread only.
import { parentPort } from 'node:worker_threads';
import { connect, type NatsConnection } from 'nats';
import { setTimeout as sleep } from 'node:timers/promises';
import { Order } from '@blotter/schemas';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import WebSocket from 'ws';
import { now } from '../stats.ts';
import { makeAgent, postJson } from './http.ts';
import { serverMessage } from './server-message.ts';
import type { FanoutResult, LatencyResult, LoadUser, RoundParams, Setup, ThroughputResult, WorkerMessage, WorkerRequest } from './jobs.ts';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');
const send = (m: WorkerMessage) => port.postMessage(m);
const progress = (text: string) => send({ type: 'progress', text });

const OrderRowsCheck = Compile(Type.Array(Type.Partial(Order)));

let setup: Setup | null = null;
const sockets: WebSocket[] = [];
let nc: NatsConnection | null = null;
let onSocketMessage: (userIndex: number, raw: string) => void = () => {};
const agent = makeAgent(256);

/** Opens an authenticated socket subscribed to `channels`; resolves once every snapshot arrived. */
function openSocket(url: string, user: LoadUser, index: number, channels: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/ws`, { perMessageDeflate: false });
    const waiting = new Set(channels);
    const timer = setTimeout(() => reject(new Error(`socket ${index} did not get its snapshots`)), 60_000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token: user.token })));
    ws.on('message', (data) => {
      const raw = data.toString();
      if (waiting.size > 0) {
        const m = serverMessage(raw);
        if (m.type === 'ready') ws.send(JSON.stringify({ type: 'subscribe', channels }));
        else if (m.type === 'snapshot') {
          waiting.delete(m.channel);
          if (waiting.size === 0) {
            clearTimeout(timer);
            resolve(ws);
          }
        } else if (m.type === 'error') reject(new Error(`socket ${index}: ${JSON.stringify(m.error)}`));
        return;
      }
      onSocketMessage(index, raw);
    });
    ws.on('error', reject);
  });
}

async function openSockets(url: string, users: LoadUser[], channels: string[]): Promise<void> {
  let opened = 0;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= users.length) return;
      sockets[i] = await openSocket(url, users[i] as LoadUser, i, channels);
      if (++opened % 100 === 0) progress(`${opened}/${users.length} sockets subscribed`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

const count = (statuses: Record<string, number>, status: number | string) => {
  statuses[status] = (statuses[status] ?? 0) + 1;
};

async function throughputRound(s: Extract<Setup, { kind: 'throughput' }>, p: Extract<RoundParams, { kind: 'throughput' }>) {
  const base = new URL(s.url);
  const start = now();
  const measureFrom = start + p.warmupSeconds * 1000;
  const end = measureFrom + p.seconds * 1000;
  const result: ThroughputResult = { accepted: 0, seconds: p.seconds, statuses: {}, latencies: [] };
  let next = p.round * 7919;
  const client = async () => {
    while (now() < end) {
      const user = s.users[next++ % s.users.length] as LoadUser;
      const t0 = now();
      let status: number | string;
      try {
        status = (await postJson(agent, base, '/api/orders', user.token, s.order)).status;
      } catch (err) {
        status = String((err as Error).message).slice(0, 40);
      }
      const t1 = now();
      if (t0 >= measureFrom && t1 <= end) {
        count(result.statuses, status);
        result.latencies.push(t1 - t0);
        if (typeof status === 'number' && status >= 200 && status < 300) result.accepted++;
      }
    }
  };
  const ticker = setInterval(() => {
    const t = now();
    progress(t < measureFrom ? 'warming up' : `${result.accepted} accepted, ${((t - measureFrom) / 1000).toFixed(0)}/${p.seconds} s`);
  }, 1000);
  await Promise.all(Array.from({ length: s.clients }, client));
  clearInterval(ticker);
  return result;
}

async function latencyRound(s: Extract<Setup, { kind: 'latency' }>, p: Extract<RoundParams, { kind: 'latency' }>) {
  const base = new URL(s.url);
  const total = Math.round(p.rate * p.seconds);
  const interval = 1000 / p.rate;
  const pending = new Map<string, number>();
  const result: LatencyResult = { offered: total, achievedRate: 0, latencies: [], httpLatencies: [], statuses: {}, unfilled: 0 };
  onSocketMessage = (_i, raw) => {
    if (!raw.includes('"FILLED"')) return;
    const t = now();
    const m = serverMessage(raw);
    if (m.type !== 'update' || m.channel !== 'orders' || !OrderRowsCheck.Check(m.data)) return;
    for (const row of m.data) {
      if (row.status !== 'FILLED' || !row.clientOrderId) continue;
      const t0 = pending.get(row.clientOrderId);
      if (t0 === undefined) continue;
      pending.delete(row.clientOrderId);
      result.latencies.push(t - t0);
    }
  };
  const start = now();
  let sent = 0;
  const fire = (i: number) => {
    const user = s.users[i % s.users.length] as LoadUser;
    const clientOrderId = `b${p.round}x${i}x${Math.floor(start) % 1e6}`;
    const t0 = now();
    pending.set(clientOrderId, t0);
    postJson(agent, base, '/api/orders', user.token, { ...s.order, clientOrderId }).then(
      (res) => {
        count(result.statuses, res.status);
        result.httpLatencies.push(now() - t0);
        if (res.status < 200 || res.status >= 300) pending.delete(clientOrderId);
      },
      (err) => {
        count(result.statuses, String((err as Error).message).slice(0, 40));
        pending.delete(clientOrderId);
      },
    );
  };
  // Open loop: every tick sends whatever the schedule says is due, however slow the answers are.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((now() - start) / interval) + 1);
      while (sent < due) fire(sent++);
      if (sent >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(5, interval - ((now() - start) % interval))));
    };
    tick();
  });
  result.achievedRate = sent / ((now() - start) / 1000);
  const drainUntil = now() + p.drainSeconds * 1000;
  while (pending.size > 0 && now() < drainUntil) {
    progress(`${result.latencies.length}/${total} filled, waiting for ${pending.size}`);
    await sleep(100);
  }
  result.unfilled = pending.size;
  onSocketMessage = () => {};
  return result;
}

async function fanoutRound(s: Extract<Setup, { kind: 'fanout' }>, p: Extract<RoundParams, { kind: 'fanout' }>) {
  if (!nc) throw new Error('no NATS connection');
  const conn = nc;
  const n = s.users.length;
  const probes = Math.round(p.seconds * p.probesPerSecond);
  const bursts = Math.round(p.seconds * p.noticeBurstsPerSecond);
  const tickerSent = new Float64Array(probes);
  const noticeSent = Array.from({ length: bursts }, () => new Float64Array(n));
  const result: FanoutResult = { ticker: [], orders: [], tickerExpected: probes * n, ordersExpected: bursts * n };
  // Probe prices are unmistakable (9<k>.123456789): the real feed's tickers never match them.
  const priceBase = p.round * 100_000;
  const versionBase = (p.round + 1) * 1_000_000;
  const priceRe = /"price":"9(\d+)\.123456789"/;
  const versionRe = /"channel":"orders","version":(\d+)/;
  onSocketMessage = (i, raw) => {
    const t = now();
    if (raw.startsWith('{"type":"update","channel":"ticker:')) {
      const m = priceRe.exec(raw);
      const k = m ? Number(m[1]) - priceBase : -1;
      if (k >= 0 && k < probes && tickerSent[k]) result.ticker.push(t - (tickerSent[k] as number));
      return;
    }
    const m = versionRe.exec(raw);
    const k = m ? Number(m[1]) - versionBase : -1;
    const sentAt = k >= 0 && k < bursts ? noticeSent[k]?.[i] : undefined;
    if (sentAt) result.orders.push(t - sentAt);
  };
  const encoder = new TextEncoder();
  const tickerSubject = `${s.namespace}.market.ticker.${s.symbol}`;
  const start = now();
  const events: { at: number; run: () => void }[] = [];
  for (let k = 0; k < probes; k++) {
    events.push({
      at: start + (k * 1000) / p.probesPerSecond,
      run: () => {
        const body = encoder.encode(
          JSON.stringify({ symbol: s.symbol, price: `9${priceBase + k}.123456789`, at: new Date().toISOString() }),
        );
        tickerSent[k] = now();
        conn.publish(tickerSubject, body);
      },
    });
  }
  for (let k = 0; k < bursts; k++) {
    events.push({
      at: start + 50 + (k * 1000) / p.noticeBurstsPerSecond,
      run: () => {
        const sentAt = noticeSent[k] as Float64Array;
        for (let i = 0; i < n; i++) {
          const user = s.users[i] as LoadUser;
          const notice = { userId: user.userId, channel: 'orders', version: versionBase + k, prevVersion: versionBase + k - 1, rows: [] };
          sentAt[i] = now();
          conn.publish(`${s.namespace}.changes.${user.userId}`, encoder.encode(JSON.stringify(notice)));
        }
      },
    });
  }
  events.sort((a, b) => a.at - b.at);
  for (const e of events) {
    const wait = e.at - now();
    if (wait > 0) await sleep(wait);
    e.run();
  }
  const drainUntil = now() + 5000;
  while (now() < drainUntil && (result.ticker.length < result.tickerExpected || result.orders.length < result.ordersExpected)) {
    progress(`ticker ${result.ticker.length}/${result.tickerExpected}, orders ${result.orders.length}/${result.ordersExpected}`);
    await sleep(100);
  }
  onSocketMessage = () => {};
  return result;
}

async function handle(req: WorkerRequest): Promise<void> {
  if (req.cmd === 'setup') {
    setup = req.setup;
    if (setup.kind === 'latency') await openSockets(setup.url, setup.users, ['orders']);
    if (setup.kind === 'fanout') {
      nc = await connect({ servers: setup.natsUrl.split(','), name: 'bench-fanout' });
      await openSockets(setup.url, setup.users, [`ticker:${setup.symbol}`, 'orders']);
    }
    send({ type: 'ready', info: `${sockets.length} sockets` });
    return;
  }
  if (req.cmd === 'close') {
    for (const ws of sockets) ws.terminate();
    await nc?.drain();
    agent.destroy();
    send({ type: 'closed' });
    return;
  }
  const s = setup;
  if (!s) throw new Error('round before setup');
  const p = req.params;
  if (s.kind === 'throughput' && p.kind === 'throughput') send({ type: 'round', result: await throughputRound(s, p) });
  else if (s.kind === 'latency' && p.kind === 'latency') send({ type: 'round', result: await latencyRound(s, p) });
  else if (s.kind === 'fanout' && p.kind === 'fanout') send({ type: 'round', result: await fanoutRound(s, p) });
  else throw new Error(`round ${p.kind} does not match setup ${s.kind}`);
}

port.on('message', (req: WorkerRequest) => {
  handle(req).catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
