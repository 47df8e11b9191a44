// A whole Blotter as separate processes, private to one test file:
//   - its own nats-server (own port, own store directory under a temp folder, so it can be
//     SIGKILLed and started again on the same port and store),
//   - its own Postgres database on the shared server (createTestDatabase) and its own namespace,
//   - freshly generated secrets (JWT_SECRET, KEY_ENCRYPTION_KEY, SIM_ADMIN_TOKEN),
//   - the exchange simulator and the market feed in this process (they are the outside world),
//   - the projector, the executor and N gateways as real child processes started from their
//     server.ts entry points, exactly as `make dev` starts them.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AccountTables, createKeyRing, loadVenueKeys, migrateAccounts, parseKey } from '@blotter/accounts';
import { connectNats, defaultStreamOptions, EventStore } from '@blotter/eventstore';
import { type RunningSimulator, startSimulator } from '@blotter/exchange-sim';
import { MarketFeed, publicClient } from '@blotter/market';
import { createDb, type ReadModelTables } from '@blotter/read-models';
import { createTestDatabase, type TestDatabase } from '@blotter/test-kit';
import { streamNames } from '@blotter/schemas';
import type { Kysely } from 'kysely';
import type { NatsConnection } from 'nats';
import { TcpProxy } from './proxy.ts';
import { freePort, httpReady, logLine, natsInfo, Proc, type ProcSpec, repoRoot, serviceSpec, sleep, waitUntil } from './procs.ts';

const silent = { info() {}, warn() {}, error() {} };

export function natsBinary(): string {
  const local = join(repoRoot, '.data/tools/nats-server/usr/sbin/nats-server');
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'nats-server'))) return join(dir, 'nats-server');
  throw new Error('no nats-server binary: run `make up` first (it fetches nats-server 2.10 into .data/tools)');
}

export interface ClusterOptions {
  /** Gateways to run (each on its own port). */
  gateways?: number;
  partitions?: number;
  /** Starting USDT of every simulator account. */
  startingUsdt?: string;
  /** Database URL the projector uses (a proxy in the outage test); defaults to the test database. */
  projectorDatabaseUrl?: (url: string) => string;
  /** Route the projector's Postgres connections through a TcpProxy (`cluster.projectorProxy`). */
  projectorProxy?: boolean;
  gatewayDatabaseUrl?: (url: string, index: number) => string;
  executorDatabaseUrl?: (url: string) => string;
  projectorEnv?: Record<string, string>;
  executorEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  /** Start the executor (default true). */
  executor?: boolean;
}

export interface User {
  userId: string;
  email: string;
  token: string;
  apiKey: string;
}

export class Cluster {
  readonly procs: Proc[] = [];
  nats!: Proc;
  projector!: Proc;
  executor!: Proc;
  readonly gateways: Proc[] = [];
  readonly gatewayUrls: string[] = [];
  nc!: NatsConnection;
  store!: EventStore;
  tdb!: TestDatabase;
  accounts!: Kysely<AccountTables>;
  sim!: RunningSimulator;
  feed!: MarketFeed;
  natsPort = 0;
  readonly namespace = `rel${randomBytes(4).toString('hex')}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'blotter-reliability-'));
  readonly secrets = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SIM_ADMIN_TOKEN: randomBytes(16).toString('hex'),
  };
  readonly natsRestarts: { downMs: number; readyMs: number }[] = [];
  projectorProxy: TcpProxy | null = null;
  private closed = false;

  private constructor(readonly options: ClusterOptions) {}

  get natsUrl(): string {
    return `nats://127.0.0.1:${this.natsPort}`;
  }

  get db(): Kysely<ReadModelTables> {
    return this.tdb.db;
  }

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const c = new Cluster(options);
    try {
      await c.boot();
    } catch (err) {
      await c.close();
      throw err;
    }
    return c;
  }

  private async boot(): Promise<void> {
    const o = this.options;
    // 1. NATS, private: the store lives in our temp folder so a restart finds it again.
    this.natsPort = await freePort();
    const store = join(this.dir, 'nats-store');
    mkdirSync(store, { recursive: true });
    const natsSpec: ProcSpec = {
      name: 'nats',
      command: natsBinary(),
      args: ['-c', join(repoRoot, 'infra/nats/nats-server.conf'), '-a', '127.0.0.1', '-p', String(this.natsPort), '-js', '-sd', store],
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? '' },
      logFile: join(this.dir, 'nats.log'),
      ready: async () => Boolean((await natsInfo(this.natsPort, 500))?.jetstream),
    };
    this.nats = this.add(new Proc(natsSpec));
    this.nats.start();
    await this.nats.waitReady(20_000);
    this.nc = await connectNats(this.natsUrl, `reliability-${this.namespace}`);
    this.store = await EventStore.open(this.nc, { ...defaultStreamOptions(this.namespace), partitions: o.partitions ?? 4 });

    // 2. Postgres: a fresh database, read models and accounts migrated once (not raced by N processes).
    this.tdb = await createTestDatabase();
    this.accounts = createDb<AccountTables>(this.tdb.url, { max: 4, name: 'reliability-accounts' });
    await migrateAccounts(this.accounts as Kysely<unknown>);

    // 3. The outside world: the venue and the market feed.
    this.sim = await startSimulator({ adminToken: this.secrets.SIM_ADMIN_TOKEN, startingUsdt: o.startingUsdt ?? '50000' });
    this.feed = new MarketFeed({
      nc: this.nc,
      namespace: this.namespace,
      client: publicClient({ kind: 'paper', simUrl: this.sim.url }),
      symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'],
      tickMs: 500,
      candleRefreshMs: 10_000,
      log: silent,
    });
    await this.feed.start();

    // 4. The processes under test.
    const dbUrl = this.tdb.url;
    if (o.projectorProxy) {
      const u = new URL(dbUrl);
      this.projectorProxy = new TcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
      await this.projectorProxy.start();
    }
    const projectorDb = this.projectorProxy ? this.projectorProxy.rewrite(dbUrl) : (o.projectorDatabaseUrl?.(dbUrl) ?? dbUrl);
    const common = { NATS_URL: this.natsUrl, BLOTTER_NAMESPACE: this.namespace };
    this.projector = this.add(
      new Proc(
        serviceSpec(
          'projector',
          'read-models',
          {
            ...common,
            DATABASE_URL: projectorDb,
            LOG_LEVEL: 'info',
            ...o.projectorEnv,
          },
          join(this.dir, 'projector.log'),
          logLine(/projection runner started/),
        ),
      ),
    );
    const gatewayCount = o.gateways ?? 2;
    for (let i = 0; i < gatewayCount; i++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      this.gatewayUrls.push(url);
      this.gateways.push(
        this.add(
          new Proc(
            serviceSpec(
              `gateway-${String.fromCharCode(97 + i)}`,
              'gateway',
              {
                ...common,
                DATABASE_URL: o.gatewayDatabaseUrl?.(dbUrl, i) ?? dbUrl,
                PORT: String(port),
                HOST: '127.0.0.1',
                JWT_SECRET: this.secrets.JWT_SECRET,
                KEY_ENCRYPTION_KEY: this.secrets.KEY_ENCRYPTION_KEY,
                SIM_URL: this.sim.url,
                SIM_ADMIN_TOKEN: this.secrets.SIM_ADMIN_TOKEN,
                // The load is spread over a few users; the per-user limit is not what is tested here.
                ORDER_RATE_PER_SECOND: '500',
                LOG_LEVEL: 'warn',
                ...o.gatewayEnv,
              },
              join(this.dir, `gateway-${i}.log`),
              httpReady(`${url}/readyz`),
            ),
          ),
        ),
      );
    }
    this.executor = this.add(
      new Proc(
        serviceSpec(
          'executor',
          'executor',
          {
            ...common,
            DATABASE_URL: o.executorDatabaseUrl?.(dbUrl) ?? dbUrl,
            KEY_ENCRYPTION_KEY: this.secrets.KEY_ENCRYPTION_KEY,
            SIM_URL: this.sim.url,
            // A killed executor's messages come back after 10 s rather than the default minute.
            EXECUTOR_ACK_WAIT_MS: '10000',
            EXECUTOR_POLL_MS: '1000',
            EXECUTOR_RECONCILE_MS: '10000',
            LOG_LEVEL: 'info',
            ...o.executorEnv,
          },
          join(this.dir, 'executor.log'),
          logLine(/executor started/),
        ),
      ),
    );
    // Streams, consumers' prerequisites and migrations are in place: all start at once.
    const starting = [this.projector, ...this.gateways, ...(o.executor !== false ? [this.executor] : [])];
    for (const p of starting) p.start();
    await Promise.all(starting.map((p) => p.waitReady(120_000)));
  }

  private add(p: Proc): Proc {
    this.procs.push(p);
    return p;
  }

  /** SIGKILL the NATS server, keep it down for `downMs`, start it again on the same port and store. */
  async restartNats(downMs = 1000): Promise<{ downMs: number; readyMs: number }> {
    await this.nats.kill();
    await sleep(downMs);
    this.nats.start();
    const readyMs = await this.nats.waitReady(30_000);
    const r = { downMs, readyMs };
    this.natsRestarts.push(r);
    return r;
  }

  /** Restarts a killed or stopped process and waits until it serves again. */
  async restart(p: Proc, timeoutMs = 60_000): Promise<number> {
    if (!p.running) p.start();
    return p.waitReady(timeoutMs);
  }

  keyRing() {
    return createKeyRing(parseKey(this.secrets.KEY_ENCRYPTION_KEY, 'KEY_ENCRYPTION_KEY'));
  }

  /** Registers users through gateway 0 (real scrypt, real paper accounts) and waits for their deposits to be projected. */
  async registerUsers(count: number, prefix = 'rel'): Promise<User[]> {
    const users: User[] = [];
    const ring = this.keyRing();
    for (let i = 0; i < count; i++) {
      const email = `${prefix}${i}-${randomBytes(3).toString('hex')}@example.com`;
      const res = await fetch(`${this.gatewayUrls[0]}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'reliability proof 1' }),
      });
      if (res.status !== 201) throw new Error(`register ${email}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { token: string; user: { id: string } };
      const keys = await loadVenueKeys(this.accounts, ring, body.user.id, 'paper');
      if (!keys) throw new Error(`no venue keys stored for ${email}`);
      users.push({ userId: body.user.id, email, token: body.token, apiKey: keys.apiKey });
    }
    await waitUntil(
      async () => {
        const rows = await this.db.selectFrom('balances').select(['userId']).where('asset', '=', 'USDT').execute();
        const have = new Set(rows.map((r) => r.userId));
        return users.every((u) => have.has(u.userId));
      },
      60_000,
      'the opening deposits to be projected',
    );
    return users;
  }

  /** Pending work of a durable consumer group (num_pending + num_ack_pending per partition). */
  async consumerLag(group: 'projector' | 'executor'): Promise<Record<string, number>> {
    const lag: Record<string, number> = {};
    for (let p = 0; p < this.store.partitions; p++) {
      const name = `${group}-p${p}`;
      const info = await this.store.jsm.consumers.info(this.store.streams.events, name).catch(() => null);
      lag[name] = info ? info.num_pending + info.num_ack_pending : Number.NaN;
    }
    return lag;
  }

  async totalLag(group: 'projector' | 'executor'): Promise<number> {
    return Object.values(await this.consumerLag(group)).reduce((a, b) => a + b, 0);
  }

  async deadLetters(): Promise<number> {
    const info = await this.store.jsm.streams.info(streamNames(this.namespace).deadLetters).catch(() => null);
    return info?.state.messages ?? 0;
  }

  /** Where each process's log is, for a failing run. */
  logs(): string {
    return this.procs.map((p) => `${p.name}: ${p.spec.logFile}`).join('\n');
  }

  async close(options: { keepLogs?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Services first (SIGTERM, they are graceful), then the world, then NATS.
    await Promise.allSettled(this.procs.filter((p) => p !== this.nats).map((p) => p.stop('SIGTERM', 5_000)));
    this.feed?.stop();
    await this.sim?.close().catch(() => {});
    await this.accounts?.destroy().catch(() => {});
    await this.tdb?.drop().catch(() => {});
    if (this.nc && !this.nc.isClosed()) await this.nc.close().catch(() => {});
    await this.nats?.stop('SIGTERM', 5_000).catch(() => {});
    await this.projectorProxy?.cut().catch(() => {});
    for (const p of this.procs) p.close();
    // A failing run (or RELIABILITY_KEEP_LOGS=1) keeps every process's log for the post-mortem.
    if (options.keepLogs || process.env.RELIABILITY_KEEP_LOGS) process.stderr.write(`[reliability] logs kept in ${this.dir}\n`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}
