// A whole Blotter as separate processes, private to one test file, from the kit's launcher:
//   - its own nats-server (own port, own store directory, so it can be SIGKILLed and started again
//     on the same port and store),
//   - its own Postgres database on the shared server and its own namespace, fresh secrets,
//   - the exchange simulator and the market feed in this process (they are the outside world),
//   - the projector, the executor and N gateways as real child processes started from their
//     server.ts entry points, exactly as `make dev` starts them.
import { randomBytes } from 'node:crypto';
import { loadVenueKeys } from '@blotter/accounts';
import { eventually, infraEnv, type Proc, sleep, type Stack, startStack } from '@blotter/test-kit';
import { streamNames } from '@blotter/schemas';
import { TcpProxy } from './proxy.ts';

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
  stack!: Stack;
  readonly natsRestarts: { downMs: number; readyMs: number }[] = [];
  projectorProxy: TcpProxy | null = null;
  private closed = false;

  private constructor(readonly options: ClusterOptions) {}

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const c = new Cluster(options);
    try {
      await c.boot();
    } catch (err) {
      await c.close({ keepLogs: true });
      throw err;
    }
    return c;
  }

  private async boot(): Promise<void> {
    const o = this.options;
    if (o.projectorProxy) {
      const u = new URL(infraEnv('DATABASE_URL'));
      this.projectorProxy = new TcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
      await this.projectorProxy.start();
    }
    const proxy = this.projectorProxy;
    this.stack = await startStack(null, {
      nats: 'private',
      sim: 'in-process',
      market: 'in-process',
      projector: 'process',
      executor: 'process',
      gateway: 'process',
      gateways: o.gateways ?? 2,
      partitions: o.partitions ?? 4,
      namespacePrefix: 'rel',
      startingUsdt: o.startingUsdt ?? '50000',
      tickMs: 500,
      ...(o.executor === false ? { deferred: ['executor'] } : {}),
      databaseUrl: (piece, url, i) =>
        piece === 'projector'
          ? proxy
            ? proxy.rewrite(url)
            : (o.projectorDatabaseUrl?.(url) ?? url)
          : piece === 'gateway'
            ? (o.gatewayDatabaseUrl?.(url, i) ?? url)
            : (o.executorDatabaseUrl?.(url) ?? url),
      env: {
        projector: { LOG_LEVEL: 'info', ...o.projectorEnv },
        executor: {
          // A killed executor's messages come back after 10 s rather than the default minute.
          EXECUTOR_ACK_WAIT_MS: '10000',
          EXECUTOR_POLL_MS: '1000',
          EXECUTOR_RECONCILE_MS: '10000',
          LOG_LEVEL: 'info',
          ...o.executorEnv,
        },
        // The load is spread over a few users; the per-user limit is not what is tested here.
        gateway: { ORDER_RATE_PER_SECOND: '500', LOG_LEVEL: 'warn', ...o.gatewayEnv },
      },
    });
  }

  get procs(): Proc[] {
    return [...this.stack.procs.values()];
  }
  get nats(): Proc {
    return this.stack.proc('nats');
  }
  get projector(): Proc {
    return this.stack.proc('projector');
  }
  get executor(): Proc {
    return this.stack.proc('executor');
  }
  get gateways(): Proc[] {
    return this.procs.filter((p) => p.name.startsWith('gateway-'));
  }
  get gatewayUrls(): string[] {
    return this.stack.gatewayUrls;
  }
  get natsUrl(): string {
    return this.stack.natsUrl;
  }
  get natsPort(): number {
    return Number(new URL(this.stack.natsUrl).port);
  }
  get namespace(): string {
    return this.stack.namespace;
  }
  get dir(): string {
    return this.stack.dir;
  }
  get store() {
    return this.stack.store;
  }
  get db() {
    return this.stack.db;
  }
  get accounts() {
    return this.stack.accounts;
  }
  get databaseName(): string {
    return this.stack.databaseName;
  }
  get sim() {
    return this.stack.sim;
  }
  get secrets() {
    return this.stack.secrets;
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
    return this.stack.keyRing();
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
    await eventually(
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
    return this.stack.logs();
  }

  async close(options: { keepLogs?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Services first (SIGTERM, they are graceful), then the world, then NATS: the kit's order.
    // A failing run (or RELIABILITY_KEEP_LOGS=1) keeps every process's log for the post-mortem.
    await this.stack?.stop({ keepLogs: options.keepLogs ?? false });
    await this.projectorProxy?.cut().catch(() => {});
  }
}
