// 4. Blotter in its production topology: the simulator, market feed, projector, executor and two
// gateways each as its own process, started as `make dev` starts them (the test kit's launcher with
// `processes: true`), on a namespace and database of their own; the load generator in a worker
// thread of this process. Beside it, in the same run
// and loaded the same way, the floor of any HTTP order path (floor/server.ts: JWT verify, body
// validation, one OCC publish). Measured:
//   4a  the floor, requests/s, and its process's CPU per request;
//   4b  accepted orders/s through one gateway (closed loop), the gateway process's CPU per accepted
//       order, and the account appends' conflicts per 1,000 orders (gateway and executor);
//   4c  accepted orders/s through two gateways (the same clients split over both);
//   4d  POST → FILLED on the WebSocket at `latencyRate`/s, open loop, every order filled by the
//       executor through the simulator.
// Users register through POST /api/auth/register, as a trader does. The simulator's request-weight
// and order-count limits are raised (Binance's would refuse a load test); nothing else is changed
// but the per-user order rate and open-order cap for 4b/4c, which the closed loop would hit.
import { setTimeout as sleep } from 'node:timers/promises';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadWorker } from '../load/client.ts';
import type { LatencyResult, LoadUser, ThroughputResult } from '../load/jobs.ts';
import { onInterrupt } from '../infra.ts';
import {
  childEnv,
  eventually,
  freePort,
  logLine,
  Proc,
  type ProcSpec,
  registerAt,
  repoRoot,
  startStack,
  uniqueEmail,
} from '@blotter/test-kit';
import type { Metric, ScenarioContext } from '../report.ts';
import { median, medianSummary, pool, summarize } from '../stats.ts';
import { LATENCY_ORDER } from './post-to-filled.ts';
import { THROUGHPUT_ORDER } from './gateway-throughput.ts';

/** A service process of the kit's (the spawn `make dev` uses), started and ready, with its CPU time. */
interface ServiceProcess {
  name: string;
  /** User + system CPU time it has used so far, ms (from /proc; 10 ms resolution). */
  cpuMs(): number;
  stop(): Promise<void>;
}

async function start(spec: ProcSpec): Promise<ServiceProcess> {
  const proc = new Proc(spec);
  proc.start();
  const stop = async () => {
    await proc.stop('SIGTERM', 10_000);
    proc.close();
  };
  const forget = onInterrupt(stop);
  try {
    await proc.waitReady(60_000);
  } catch (err) {
    forget();
    proc.close();
    throw err;
  }
  const pid = proc.pid as number;
  return {
    name: spec.name,
    cpuMs: () => cpuMsOf(pid),
    stop: async () => {
      forget();
      await stop();
    },
  };
}

/** utime + stime of a process, ms (USER_HZ is 100 on every Linux Node runs on). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const base64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');
/** An HS256 token, as @fastify/jwt signs them, for the floor's users. */
function hs256(secret: string, claims: Record<string, unknown>): string {
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify({ ...claims, iat: Math.floor(Date.now() / 1000) }))}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** One figure of a Prometheus text page, summed over the lines that match. */
async function metric(url: string, name: string, label: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if ((line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && line.includes(label)) sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

export async function production(ctx: ScenarioContext): Promise<Metric[]> {
  const { sizes, progress, rounds } = ctx;
  progress.set('starting the simulator, market feed, projector, executor and two gateways as processes');
  const stack = await startStack(null, {
    processes: true,
    gateways: 2,
    env: {
      // Binance's request-weight and order-count limits would refuse a load test: raised.
      sim: {
        SIM_DATA_DIR: ':memory:',
        SIM_REQUEST_WEIGHT_1M: '1000000000',
        SIM_RAW_REQUESTS_5M: '1000000000',
        SIM_ORDERS_10S: '1000000000',
        SIM_ORDERS_1D: '1000000000',
      },
      executor: { EXECUTOR_PARTITIONS: 'all' },
      gateway: { ORDER_RATE_PER_SECOND: '1000000', MAX_OPEN_ORDERS: '1000000' },
    },
  });
  const floorStream = `${stack.namespace.toUpperCase()}_FLOOR`;
  const extra: ServiceProcess[] = [];
  const cleanup = async () => {
    await Promise.all(extra.splice(0).map((p) => p.stop()));
    await stack.store.jsm.streams.delete(floorStream).catch(() => {});
    await stack.stop();
  };
  const forget = onInterrupt(cleanup);
  const measured = (name: string): ServiceProcess => {
    const proc = stack.proc(name);
    const pid = proc.pid as number;
    return { name, cpuMs: () => cpuMsOf(pid), stop: async () => {} };
  };
  const metrics: Metric[] = [];
  try {
    const gateways = stack.gatewayUrls.map((url, i) => ({ url, proc: measured(`gateway-${String.fromCharCode(97 + i)}`) }));
    const floorPort = await freePort();
    await stack.store.jsm.streams.add({ name: floorStream, subjects: [`${stack.namespace}.floor.>`] });
    const floor = await start({
      name: 'floor',
      command: process.execPath,
      args: ['--import', '@blotter/ts-loader/register', join(repoRoot, 'bench/src/floor/server.ts')],
      cwd: repoRoot,
      env: childEnv({
        FLOOR_PORT: String(floorPort),
        FLOOR_JWT_SECRET: stack.secrets.JWT_SECRET,
        FLOOR_SUBJECT_PREFIX: `${stack.namespace}.floor`,
        NATS_URL: stack.natsUrl,
      }),
      ready: logLine(/floor listening/),
    });
    extra.push(floor);

    const [a, b] = gateways as [(typeof gateways)[0], (typeof gateways)[0]];
    const count = Math.max(sizes.gatewayUsers, sizes.latencyUsers);
    const users: LoadUser[] = [];
    await pool(
      Array.from({ length: count }, (_, i) => i),
      4,
      async (i) => {
        users.push(await registerAt(a.url, uniqueEmail(`bench${i}-`), 'bench password 1'));
        progress.set(`registering users ${users.length}/${count}`);
      },
    );
    for (const g of gateways)
      await eventually(
        async () => (await fetch(`${g.url}/api/market/BTCUSDT/ticker`, { headers: { authorization: `Bearer ${users[0]?.token}` } })).ok,
        30_000,
        `a BTCUSDT ticker on ${g.url}`,
      );

    /** `rounds` closed-loop rounds against `targets` (clients split evenly); CPU of `busy` per answer. */
    const closedLoop = async (id: string, label: string, targets: { url: string; users: LoadUser[] }[], busy: ServiceProcess[]) => {
      const workers = targets.map(() => new LoadWorker((text) => progress.set(`${id}: ${text}`)));
      const rates: number[] = [];
      const cpuPerAnswer: number[] = [];
      const p50: number[] = [];
      const statuses: Record<string, number> = {};
      try {
        await Promise.all(
          workers.map((w, i) =>
            w.setup({
              kind: 'throughput',
              url: targets[i]?.url as string,
              users: targets[i]?.users as LoadUser[],
              clients: Math.ceil(sizes.gatewayClients / targets.length),
              order: THROUGHPUT_ORDER,
            }),
          ),
        );
        for (let r = 0; r < rounds; r++) {
          const cpu0 = busy.reduce((s, p) => s + p.cpuMs(), 0);
          const results = await Promise.all(
            workers.map((w) =>
              w.round<ThroughputResult>({ kind: 'throughput', round: r, warmupSeconds: r === 0 ? 2 : 1, seconds: sizes.gatewaySeconds }),
            ),
          );
          // The CPU of the warm-up is in the difference too: counted per answer over the whole round.
          const cpu = busy.reduce((s, p) => s + p.cpuMs(), 0) - cpu0;
          const accepted = results.reduce((s, x) => s + x.accepted, 0);
          const wallSeconds = sizes.gatewaySeconds + (r === 0 ? 2 : 1);
          rates.push(accepted / sizes.gatewaySeconds);
          cpuPerAnswer.push(cpu / ((accepted / sizes.gatewaySeconds) * wallSeconds));
          p50.push(median(results.flatMap((x) => x.latencies)));
          for (const x of results) for (const [k, v] of Object.entries(x.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
          progress.log(
            `  ${id} round ${r + 1}: ${rates.at(-1)?.toFixed(0)}/s; ${cpuPerAnswer.at(-1)?.toFixed(3)} ms CPU per answer; statuses ${JSON.stringify(statuses)}`,
          );
        }
      } finally {
        await Promise.all(workers.map((w) => w.close()));
      }
      const metric: Metric = {
        id,
        label,
        unit: 'req/s',
        rounds: rates,
        value: median(rates),
        detail: `${sizes.gatewayClients} closed-loop clients, ${sizes.gatewaySeconds} s/round; ${busy.map((p) => p.name).join(' + ')} CPU ${median(cpuPerAnswer).toFixed(3)} ms per 2xx; response p50 ${median(p50).toFixed(1)} ms`,
        extra: { statuses, cpuMsPerAnswer: cpuPerAnswer, cpuMsPerAnswerMedian: median(cpuPerAnswer) },
      };
      metrics.push(metric);
      return metric;
    };

    const floorUsers = users.map((u) => ({ userId: u.userId, token: hs256(stack.secrets.JWT_SECRET, { sub: u.userId }) }));
    await closedLoop(
      'floor.route',
      'Floor: minimal fastify route (JWT, body schema, one OCC publish)',
      [{ url: `http://127.0.0.1:${floorPort}`, users: floorUsers }],
      [floor],
    );

    const throughputUsers = users.slice(0, sizes.gatewayUsers);
    const appended0 = await metric(a.url, 'blotter_account_appends', 'appended');
    const conflicts0 = await metric(a.url, 'blotter_account_appends', 'conflict');
    const followed0 = await metric(a.url, 'blotter_account_commits_followed', '');
    const one = await closedLoop(
      'production.gateway',
      'Blotter accepted orders via HTTP, 1 gateway process',
      [{ url: a.url, users: throughputUsers }],
      [a.proc],
    );
    const appended = (await metric(a.url, 'blotter_account_appends', 'appended')) - appended0;
    const conflicts = (await metric(a.url, 'blotter_account_appends', 'conflict')) - conflicts0;
    const followed = (await metric(a.url, 'blotter_account_commits_followed', '')) - followed0;
    one.extra = {
      ...one.extra,
      gatewayAppends: appended,
      gatewayConflicts: conflicts,
      gatewayFollowed: followed,
      conflictsPer1000: (1000 * conflicts) / Math.max(1, appended),
    };
    one.detail += `; OCC conflicts ${((1000 * conflicts) / Math.max(1, appended)).toFixed(2)} per 1,000 gateway appends; ${followed} executor commits folded by following`;

    const half = Math.ceil(throughputUsers.length / 2);
    await closedLoop(
      'production.gateways2',
      'Blotter accepted orders via HTTP, 2 gateway processes',
      [
        { url: a.url, users: throughputUsers.slice(0, half) },
        { url: b.url, users: throughputUsers.slice(half) },
      ],
      [a.proc, b.proc],
    );

    // 4d: POST → FILLED at the target rate, every order filled by the executor.
    const load = new LoadWorker((text) => progress.set(`production.latency: ${text}`));
    try {
      await load.setup({ kind: 'latency', url: a.url, users: users.slice(0, sizes.latencyUsers), order: LATENCY_ORDER });
      await load.round({ kind: 'latency', round: 99, rate: sizes.latencyLowRate, seconds: 3, drainSeconds: 30 });
      const executorConflicts0 = await metric(a.url, 'blotter_executor', '"accountConflicts"');
      const executorAppends0 = await metric(a.url, 'blotter_executor', '"accountAppends"');
      const summaries = [];
      const results: LatencyResult[] = [];
      for (let r = 0; r < rounds; r++) {
        const res = await load.round<LatencyResult>({
          kind: 'latency',
          round: r,
          rate: sizes.latencyRate,
          seconds: sizes.latencySeconds,
          drainSeconds: 30,
        });
        results.push(res);
        const s = summarize([...res.latencies, ...Array.from({ length: res.unfilled }, () => Number.POSITIVE_INFINITY)]);
        summaries.push(s);
        progress.log(
          `  production POST→FILLED at ${sizes.latencyRate}/s round ${r + 1}: p50 ${s.p50.toFixed(1)} p99 ${s.p99.toFixed(1)} ms; unfilled ${res.unfilled}; statuses ${JSON.stringify(res.statuses)}`,
        );
      }
      // The executor announces its figures every 5 s.
      await sleep(5500);
      const executorConflicts = (await metric(a.url, 'blotter_executor', '"accountConflicts"')) - executorConflicts0;
      const executorAppends = (await metric(a.url, 'blotter_executor', '"accountAppends"')) - executorAppends0;
      const latency = medianSummary(summaries);
      metrics.push({
        id: 'production.latency',
        label: `POST → FILLED on WebSocket at ${sizes.latencyRate}/s, production topology`,
        unit: 'ms',
        rounds: summaries.map((s) => s.p99),
        value: latency.p99,
        latency,
        detail: `open loop, ${sizes.latencyUsers} users, ${sizes.latencySeconds} s/round; refused ${results
          .map((x) =>
            Object.entries(x.statuses)
              .filter(([k]) => !k.startsWith('2'))
              .reduce((s, [, v]) => s + v, 0),
          )
          .join(
            '/',
          )}; executor OCC conflicts ${((1000 * executorConflicts) / Math.max(1, executorAppends)).toFixed(2)} per 1,000 of its appends`,
        extra: { statuses: results.map((x) => x.statuses), unfilled: results.map((x) => x.unfilled), executorConflicts, executorAppends },
      });
    } finally {
      await load.close();
    }
  } finally {
    forget();
    await cleanup();
  }
  return metrics;
}
