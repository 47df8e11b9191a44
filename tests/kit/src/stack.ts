// The one whole-Blotter launcher of every suite. Each stack is private to its caller: its own
// JetStream namespace (streams and KV buckets), its own Postgres database (read models and accounts
// migrated once, here), fresh secrets. Every piece runs either in this process (fast to boot, and
// the test can reach into it: `stack.app.inject`, `stack.runner`) or as a process of its own,
// started from the services table `make dev` uses (infra/lib/services.mjs) with the same spawn
// helper (infra/lib/procs.mjs). Nothing is faked: the simulator stands in for the exchange's
// network only, as in `make dev`.
//
// Processes: `processes: true` runs everything the way `make dev` does (simulator, market feed,
// projector, executor, N gateways, and the UI's production build with `ui: true`); any of them can
// be restarted (`stack.restart('gateway-b')`) or killed (`stack.proc('executor').kill()`). Whatever
// the test's outcome, `stop()` (registered on the tap test given) stops all of it, and a test
// process that dies without its teardown still takes its children with it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AccountTables, createKeyRing, parseKey } from '@blotter/accounts';
import type { EventStore } from '@blotter/eventstore';
import { AdminClient, type RunningSimulator, type StartOptions, startSimulator } from '@blotter/exchange-sim';
import { Executor, VenueRegistry, binanceVenues } from '@blotter/executor';
import { createBinanceVenue } from '@blotter/executor/venue';
import { buildApp } from '@blotter/gateway';
import { type GatewayConfig, loadGatewayConfig } from '@blotter/gateway/config';
import { MarketFeed, publicClient } from '@blotter/market';
import { allReadModels, changeAnnouncer, ProjectionRunner, type ReadModelTables } from '@blotter/read-models';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { NatsConnection } from 'nats';
import { childEnv, eventually, freePort, natsInfo, Proc, sleep } from '../../../infra/lib/procs.mjs';
import { repoRoot, type ServiceName, serviceSpec } from '../../../infra/lib/services.mjs';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { silent, SYMBOLS } from './fixtures.ts';
import { infraEnv, openTestStore, type TestStore, testNamespace } from './infra.ts';

/** Where a piece runs: in this process, as a child process, or not at all. */
export type Where = 'in-process' | 'process' | 'off';
export type Piece = 'sim' | 'market' | 'projector' | 'executor' | 'gateway';

/** A logger of the in-process pieces (pino's shape). */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface StackOptions {
  /** Every piece as a process, the way `make dev` starts them (the default of each `Where` below). */
  processes?: boolean;
  sim?: Where;
  market?: Where;
  projector?: Where;
  /** Off unless asked for (or `processes`). */
  executor?: Where;
  gateway?: Where;
  /** How many gateway processes (an in-process gateway is always one). */
  gateways?: number;
  /** The UI's production build as a process, pointed at the first gateway. */
  ui?: boolean;
  /** 'private': a nats-server of its own (own port and store, so it can be killed and restarted). */
  nats?: 'shared' | 'private';
  partitions?: number;
  namespacePrefix?: string;
  /** Environment (or, in process, config) of each piece, over the launcher's defaults. */
  env?: Partial<Record<Piece | 'ui', Record<string, string>>>;
  /** The database URL a piece connects to (e.g. through a proxy that a test cuts). */
  databaseUrl?: (piece: 'gateway' | 'projector' | 'executor', url: string, index: number) => string;
  /** Starting USDT of every simulator account. */
  startingUsdt?: string;
  /** Settings of an in-process simulator (its limits, say, for stacks that drive more traffic than Binance allows one IP). */
  simOptions?: Omit<StartOptions, 'adminToken'>;
  /** The in-process market feed's tick (ms). */
  tickMs?: number;
  /** The in-process executor sends testnet keys to the simulator too (unknown there: the refusal path), never to Binance. */
  testnetOnSim?: boolean;
  /** Loggers of the in-process pieces (silent by default). */
  log?: (piece: Piece) => Log;
  /** Processes that keep every line they write (`stack.proc(name).lines`). */
  keepLines?: string[];
  /** Piece processes created but not started (the test starts them: `stack.proc('executor').start()`). */
  deferred?: string[];
  /** Keep the processes' logs (also RELIABILITY_KEEP_LOGS=1 or KIT_KEEP_LOGS=1). */
  keepLogs?: boolean;
}

/** What registers the stack's stop (a tap Test); a test that did not pass keeps the processes' logs. */
export interface Owner {
  teardown(fn: () => unknown): void;
  passing?(): boolean;
}

export interface Secrets {
  JWT_SECRET: string;
  KEY_ENCRYPTION_KEY: string;
  SIM_ADMIN_TOKEN: string;
}

export interface Stack {
  namespace: string;
  natsUrl: string;
  /** This process's connection and event store on the namespace. */
  nc: NatsConnection;
  store: EventStore;
  /** The stack's own database (read models and accounts). */
  db: Kysely<ReadModelTables>;
  databaseUrl: string;
  databaseName: string;
  accounts: Kysely<AccountTables>;
  secrets: Secrets;
  /** The gateway's configuration (every gateway process gets the same, but its port). */
  config: GatewayConfig;
  simUrl: string;
  simAdmin: AdminClient;
  /** First gateway's http://127.0.0.1:port. */
  url: string;
  gatewayUrls: string[];
  /** The UI's address (with `ui: true`). */
  uiUrl: string;
  /** Folder of the processes' logs. */
  dir: string;
  /** The in-process pieces (each throws when that piece runs elsewhere). */
  readonly app: FastifyInstance;
  readonly sim: RunningSimulator;
  readonly runner: ProjectionRunner;
  readonly feed: MarketFeed;
  readonly executor: Executor;
  /** Every process of the stack by name: nats, sim, market, projector, executor, gateway-a…, ui. */
  procs: Map<string, Proc>;
  proc(name: string): Proc;
  /** Stops the named process (SIGTERM), starts it again and waits until it serves; returns how long that took. */
  restart(name: string): Promise<number>;
  /** Waits until the projector has applied every commit appended so far. */
  projected(timeoutMs?: number): Promise<void>;
  /** Runs `fn` when the stack stops, before any of its own pieces stop (a test's extra consumer, say). */
  onClose(fn: () => unknown): void;
  /** The key ring of the stack's KEY_ENCRYPTION_KEY. */
  keyRing(): ReturnType<typeof createKeyRing>;
  /** Where each process's log is (for a failing run's message). */
  logs(): string;
  /** Stops everything (idempotent), removes the namespace and the database; `keepLogs` keeps the processes' logs. */
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

/** The nats-server `make up` fetched into .data/tools, else one on PATH. */
export function natsBinary(): string {
  const local = join(repoRoot, '.data/tools/nats-server/usr/sbin/nats-server');
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .filter(Boolean)
    .map((d) => join(d, 'nats-server'));
  const found = [local, ...onPath].find((c) => existsSync(c));
  if (!found) throw new Error('no nats-server binary: run `make up` first (it fetches nats-server into .data/tools)');
  return found;
}

/**
 * The UI's production build (`node ui/build/index.js`) as a process on a free port, pointed at
 * `gatewayUrl`; not started yet. Its address is also its ORIGIN: adapter-node assumes https unless
 * ORIGIN says otherwise, and form actions compare origins.
 */
export async function uiServer(
  gatewayUrl: string,
  env: Record<string, string> = {},
  logFile?: string,
): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const procEnv = childEnv({ HOST: '127.0.0.1', PORT: String(port), ORIGIN: url, GATEWAY_URL: gatewayUrl, ...env });
  return { proc: new Proc(serviceSpec('ui:built', procEnv, { name: 'ui', ...(logFile ? { logFile } : {}) })), url };
}

/** Starts a whole Blotter; its stop is registered on `owner` (a tap Test), else the caller calls `stop()`. */
export async function startStack(owner: Owner | null, options: StackOptions = {}): Promise<Stack> {
  const o = options;
  const def: Where = o.processes ? 'process' : 'in-process';
  const where = {
    sim: o.sim ?? def,
    market: o.market ?? def,
    projector: o.projector ?? def,
    executor: o.executor ?? (o.processes ? 'process' : 'off'),
    gateway: o.gateway ?? def,
  } satisfies Record<Piece, Where>;
  const env = (piece: Piece | 'ui') => o.env?.[piece] ?? {};
  const log = o.log ?? (() => silent);
  const dbUrlOf = (piece: 'gateway' | 'projector' | 'executor', url: string, i = 0) => o.databaseUrl?.(piece, url, i) ?? url;

  const dir = mkdtempSync(join(tmpdir(), 'blotter-stack-'));
  const procs = new Map<string, Proc>();
  const stops: (() => Promise<unknown>)[] = [];
  let stopped: Promise<void> | null = null;
  let failed = false;
  const stop = (stopOptions: { keepLogs?: boolean } = {}) => {
    stopped ??= (async () => {
      for (const fn of stops.splice(0).reverse()) await fn().catch(() => undefined);
      for (const p of procs.values()) p.close();
      if (
        failed ||
        stopOptions.keepLogs ||
        owner?.passing?.() === false ||
        o.keepLogs ||
        process.env.KIT_KEEP_LOGS ||
        process.env.RELIABILITY_KEEP_LOGS
      )
        process.stderr.write(`[kit] logs of the stack's processes kept in ${dir}\n`);
      else rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  owner?.teardown(() => stop());
  const addProc = (name: string, service: ServiceName, procEnv: Record<string, string>) => {
    const keepLines = o.keepLines?.includes(name) ?? false;
    // A stable INSTANCE_ID per process, as a deployment gives each instance: a restarted executor or
    // projector then reclaims its own leases at once instead of waiting for them to expire.
    const env = childEnv({ INSTANCE_ID: name, ...procEnv });
    const p = new Proc(serviceSpec(service, env, { name, logFile: join(dir, `${name}.log`), keepLines }));
    procs.set(name, p);
    stops.push(() => p.stop('SIGTERM', 5_000));
    return p;
  };

  try {
    // 1. NATS: the shared server of `make up`, or a private one whose store lives in `dir`, so that a
    //    SIGKILLed server comes back on the same port with the same streams.
    let natsUrl = infraEnv('NATS_URL');
    if (o.nats === 'private') {
      const port = await freePort();
      const storeDir = join(dir, 'nats-store');
      mkdirSync(storeDir, { recursive: true });
      const nats = new Proc({
        name: 'nats',
        command: natsBinary(),
        args: ['-c', join(repoRoot, 'infra/nats/nats-server.conf'), '-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
        logFile: join(dir, 'nats.log'),
        ready: async () => Boolean((await natsInfo(port, 500))?.jetstream),
      });
      procs.set('nats', nats);
      // Registered first, so stopped last: everything else still talks to it while it stops.
      stops.push(() => nats.stop('SIGTERM', 5_000));
      nats.start();
      await nats.waitReady(20_000);
      natsUrl = `nats://127.0.0.1:${port}`;
    }
    const ctx: TestStore = await openTestStore({
      natsUrl,
      namespace: testNamespace(o.namespacePrefix ?? 't'),
      partitions: o.partitions ?? 2,
    });
    // Registered before the processes' stops, so it runs after them (stops run in reverse).
    stops.push(() => ctx.close());
    const namespace = ctx.namespace;

    // 2. Postgres: read models and accounts migrated once, not raced by several processes.
    const tdb: TestDatabase = await createTestDatabase({ accounts: true });
    stops.push(() => tdb.drop());
    const accounts = tdb.accounts;
    const secrets: Secrets = {
      JWT_SECRET: randomBytes(32).toString('hex'),
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SIM_ADMIN_TOKEN: randomBytes(16).toString('hex'),
    };
    const common = { NATS_URL: natsUrl, BLOTTER_NAMESPACE: namespace };
    const startingUsdt = o.startingUsdt ?? '10000';

    // 3. The outside world: the venue.
    let sim: RunningSimulator | null = null;
    let simUrl: string;
    if (where.sim === 'process') {
      const port = await freePort();
      simUrl = `http://127.0.0.1:${port}`;
      const p = addProc('sim', 'sim', {
        SIM_PORT: String(port),
        SIM_HOST: '127.0.0.1',
        SIM_ADMIN_TOKEN: secrets.SIM_ADMIN_TOKEN,
        SIM_DATA_DIR: join(dir, 'sim-data'),
        SIM_STARTING_USDT: startingUsdt,
        ...env('sim'),
      });
      p.start();
      await p.waitReady(60_000);
    } else {
      const started = await startSimulator({ startingUsdt, ...o.simOptions, adminToken: secrets.SIM_ADMIN_TOKEN });
      stops.push(() => started.close());
      sim = started;
      simUrl = started.url;
    }

    // 4. The processes; they boot (TypeScript loader) while the in-process pieces start below.
    const processes: Proc[] = [];
    const tickMs = o.tickMs ?? 250;
    if (where.market === 'process')
      processes.push(
        addProc('market', 'market', {
          ...common,
          SIM_URL: simUrl,
          MARKET_TICK_MS: String(tickMs),
          MARKET_CANDLE_REFRESH_MS: String(tickMs * 20),
          LOG_LEVEL: 'info',
          ...env('market'),
        }),
      );
    if (where.projector === 'process')
      processes.push(
        addProc('projector', 'projector', {
          ...common,
          DATABASE_URL: dbUrlOf('projector', tdb.url),
          LOG_LEVEL: 'info',
          ...env('projector'),
        }),
      );
    if (where.executor === 'process')
      processes.push(
        addProc('executor', 'executor', {
          ...common,
          DATABASE_URL: dbUrlOf('executor', tdb.url),
          KEY_ENCRYPTION_KEY: secrets.KEY_ENCRYPTION_KEY,
          SIM_URL: simUrl,
          // Tests never reach Binance: testnet keys are used on the simulator.
          BINANCE_TESTNET_URL: simUrl,
          EXECUTOR_POLL_MS: '1000',
          LOG_LEVEL: 'info',
          ...env('executor'),
        }),
      );
    const gatewayEnv = {
      ...common,
      JWT_SECRET: secrets.JWT_SECRET,
      KEY_ENCRYPTION_KEY: secrets.KEY_ENCRYPTION_KEY,
      SIM_URL: simUrl,
      BINANCE_TESTNET_URL: simUrl,
      SIM_ADMIN_TOKEN: secrets.SIM_ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      ...env('gateway'),
    };
    const config = loadGatewayConfig({ ...gatewayEnv, DATABASE_URL: dbUrlOf('gateway', tdb.url), PORT: '0' });
    const gatewayUrls: string[] = [];
    if (where.gateway === 'process') {
      for (let i = 0; i < (o.gateways ?? 1); i++) {
        const port = await freePort();
        gatewayUrls.push(`http://127.0.0.1:${port}`);
        processes.push(
          addProc(`gateway-${String.fromCharCode(97 + i)}`, 'gateway', {
            ...gatewayEnv,
            DATABASE_URL: dbUrlOf('gateway', tdb.url, i),
            PORT: String(port),
          }),
        );
      }
    }
    const deferred = new Set(o.deferred ?? []);
    const starting = processes.filter((p) => !deferred.has(p.name));
    for (const p of starting) p.start();

    // 5. The in-process pieces.
    let feed: MarketFeed | null = null;
    if (where.market === 'in-process') {
      const f = new MarketFeed({
        nc: ctx.nc,
        namespace,
        client: publicClient({ kind: 'paper', simUrl }),
        symbols: [...SYMBOLS],
        tickMs,
        candleRefreshMs: tickMs * 20,
        log: log('market'),
      });
      await f.start();
      stops.push(async () => f.stop());
      feed = f;
    }
    let runner: ProjectionRunner | null = null;
    if (where.projector === 'in-process') {
      const r = new ProjectionRunner({
        store: ctx.store,
        db: tdb.db,
        schema: 'public',
        models: allReadModels,
        group: 'projector',
        log: log('projector'),
        ackWaitMs: 5000,
        onChanges: changeAnnouncer(ctx.nc, namespace),
      });
      await r.start();
      stops.push(() => r.stop());
      runner = r;
    }
    const keyRing = () => createKeyRing(parseKey(secrets.KEY_ENCRYPTION_KEY, 'KEY_ENCRYPTION_KEY'));
    let app: FastifyInstance | null = null;
    if (where.gateway === 'in-process') {
      const a = await buildApp(loadGatewayConfig({ ...gatewayEnv, DATABASE_URL: dbUrlOf('gateway', tdb.url), PORT: '0' }), {
        logger: false,
      });
      stops.push(() => a.close());
      await a.listen({ port: 0, host: '127.0.0.1' });
      const address = a.server.address();
      gatewayUrls.push(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
      app = a;
    }
    let executor: Executor | null = null;
    if (where.executor === 'in-process') {
      const e = env('executor');
      const recvWindowMs = Number(e.VENUE_RECV_WINDOW_MS ?? 5000);
      const venues = new VenueRegistry(
        accounts,
        keyRing(),
        o.testnetOnSim
          ? (keys) => createBinanceVenue({ apiKey: keys.apiKey, apiSecret: keys.apiSecret, kind: 'paper', baseUrl: simUrl, recvWindowMs })
          : binanceVenues({ simUrl, testnetUrl: simUrl, recvWindowMs }),
      );
      const x = new Executor({
        store: ctx.store,
        venues,
        recvWindowMs,
        maxInFlight: 16,
        ackWaitMs: Number(e.EXECUTOR_ACK_WAIT_MS ?? 10_000),
        pollMs: Number(e.EXECUTOR_POLL_MS ?? 1000),
        reconcileMs: Number(e.EXECUTOR_RECONCILE_MS ?? 60_000),
        log: log('executor'),
      });
      await x.start();
      stops.push(async () => {
        await x.stop();
        await venues.close();
      });
      executor = x;
    }
    await Promise.all(starting.map((p) => p.waitReady(120_000)));

    // 6. The UI, once there is a gateway to point it at.
    let uiUrl = '';
    if (o.ui) {
      const ui = await uiServer(gatewayUrls[0] ?? '', env('ui'), join(dir, 'ui.log'));
      procs.set('ui', ui.proc);
      stops.push(() => ui.proc.stop('SIGTERM', 5_000));
      uiUrl = ui.url;
      if (!deferred.has('ui')) {
        ui.proc.start();
        await ui.proc.waitReady(60_000);
      }
    }

    const inProcess = <T>(value: T | null, piece: string): T => {
      if (value === null) throw new Error(`the ${piece} of this stack does not run in this process`);
      return value;
    };
    const proc = (name: string) => {
      const p = procs.get(name);
      if (!p) throw new Error(`no process ${name} in this stack (${[...procs.keys()].join(', ') || 'none'})`);
      return p;
    };
    return {
      namespace,
      natsUrl,
      nc: ctx.nc,
      store: ctx.store,
      db: tdb.db,
      databaseUrl: tdb.url,
      databaseName: tdb.name,
      accounts,
      secrets,
      config,
      simUrl,
      simAdmin: new AdminClient(simUrl, secrets.SIM_ADMIN_TOKEN),
      url: gatewayUrls[0] ?? '',
      gatewayUrls,
      uiUrl,
      dir,
      get app() {
        return inProcess(app, 'gateway');
      },
      get sim() {
        return inProcess(sim, 'simulator');
      },
      get runner() {
        return inProcess(runner, 'projector');
      },
      get feed() {
        return inProcess(feed, 'market feed');
      },
      get executor() {
        return inProcess(executor, 'executor');
      },
      procs,
      proc,
      restart: async (name) => {
        const p = proc(name);
        await p.stop('SIGTERM', 10_000);
        // A port that was just freed can still be in TIME_WAIT for the kernel: the service retries nothing.
        if (name === 'nats') await sleep(200);
        p.start();
        return p.waitReady(120_000);
      },
      onClose: (fn) => {
        stops.push(async () => fn());
      },
      projected: async (timeoutMs = 60_000) => {
        const last = await ctx.store.lastSeq();
        await eventually(
          async () => {
            const row = await tdb.db
              .selectFrom('projectionCheckpoints')
              .select((eb) => eb.fn.max('seq').as('seq'))
              .executeTakeFirst();
            const idle = runner ? runner.partitionStats().every((p) => p.pending === 0) : true;
            return idle && Number(row?.seq ?? 0) >= last;
          },
          timeoutMs,
          'the projector to catch up',
        );
      },
      keyRing,
      logs: () => [...procs.values()].map((p) => `${p.name}: ${p.spec.logFile}`).join('\n'),
      stop,
    };
  } catch (err) {
    failed = true;
    await stop();
    throw err;
  }
}
