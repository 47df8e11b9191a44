// Several gateways on one NATS and one Postgres, private to one test file:
//   - its own namespace (streams, subjects, lease bucket) on the NATS `make up` resolved, and its own
//     Postgres database (createTestDatabase), migrated once here rather than raced by N gateways;
//   - the outside world (exchange simulator, market feed) and the back office (projector with its
//     change announcer, executor) in this process, as the gateway's own tests run them;
//   - N gateways as real child processes started from services/gateway/src/server.ts with the same
//     secrets, each on its own port: nothing is shared between them but NATS and Postgres.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AccountTables, createKeyRing, migrateAccounts, parseKey } from '@blotter/accounts';
import { type TestStore, infraEnv, openTestStore, createTestDatabase, type TestDatabase } from '@blotter/test-kit';
import { type RunningSimulator, startSimulator } from '@blotter/exchange-sim';
import { Executor, VenueRegistry, binanceVenues } from '@blotter/executor';
import { MarketFeed, publicClient } from '@blotter/market';
import { allReadModels, changeAnnouncer, ProjectionRunner } from '@blotter/read-models';
import type { Kysely } from 'kysely';
import { freePort, httpReady, Proc, serviceSpec } from '@blotter/reliability/procs';

const silent = { info() {}, warn() {}, error() {} };

export interface GatewayStackOptions {
  gateways: number;
  /** Extra environment of every gateway (e.g. ORDER_RATE_PER_SECOND). */
  gatewayEnv?: Record<string, string>;
}

export class GatewayStack {
  ctx!: TestStore;
  tdb!: TestDatabase;
  sim!: RunningSimulator;
  feed!: MarketFeed;
  runner!: ProjectionRunner;
  executor!: Executor;
  venues!: VenueRegistry;
  accounts!: Kysely<AccountTables>;
  readonly gateways: Proc[] = [];
  readonly urls: string[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), 'blotter-scaling-'));
  readonly secrets = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SIM_ADMIN_TOKEN: randomBytes(16).toString('hex'),
  };
  /** Milliseconds from spawning the gateways to all of them answering /readyz. */
  bootMs = 0;

  private constructor(readonly options: GatewayStackOptions) {}

  static async start(options: GatewayStackOptions): Promise<GatewayStack> {
    const s = new GatewayStack(options);
    try {
      await s.boot();
    } catch (err) {
      await s.close({ keepLogs: true });
      throw err;
    }
    return s;
  }

  get namespace(): string {
    return this.ctx.namespace;
  }

  private async boot(): Promise<void> {
    this.ctx = await openTestStore({ namespace: `scl${randomBytes(4).toString('hex')}`, partitions: 4 });
    this.tdb = await createTestDatabase();
    this.accounts = this.tdb.db as unknown as Kysely<AccountTables>;
    await migrateAccounts(this.tdb.db as Kysely<unknown>);

    this.sim = await startSimulator({ adminToken: this.secrets.SIM_ADMIN_TOKEN });
    const t0 = Date.now();
    for (let i = 0; i < this.options.gateways; i++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      this.urls.push(url);
      const name = `gateway-${String.fromCharCode(97 + i)}`;
      this.gateways.push(
        new Proc(
          serviceSpec(
            name,
            'gateway',
            {
              NATS_URL: infraEnv('NATS_URL'),
              DATABASE_URL: this.tdb.url,
              BLOTTER_NAMESPACE: this.namespace,
              PORT: String(port),
              HOST: '127.0.0.1',
              ...this.secrets,
              SIM_URL: this.sim.url,
              LOG_LEVEL: 'warn',
              ...this.options.gatewayEnv,
            },
            join(this.dir, `${name}.log`),
            httpReady(`${url}/readyz`),
          ),
        ),
      );
    }
    // The gateways boot (tsx, migrations already done) while the rest of the world starts here.
    for (const g of this.gateways) g.start();
    this.feed = new MarketFeed({
      nc: this.ctx.nc,
      namespace: this.namespace,
      client: publicClient({ kind: 'paper', simUrl: this.sim.url }),
      symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'],
      tickMs: 250,
      candleRefreshMs: 5000,
      log: silent,
    });
    await this.feed.start();
    this.runner = new ProjectionRunner({
      store: this.ctx.store,
      db: this.tdb.db,
      schema: 'public',
      models: allReadModels,
      group: 'projector',
      log: silent,
      ackWaitMs: 5000,
      onChanges: changeAnnouncer(this.ctx.nc, this.namespace),
    });
    await this.runner.start();
    const ring = createKeyRing(parseKey(this.secrets.KEY_ENCRYPTION_KEY, 'KEY_ENCRYPTION_KEY'));
    this.venues = new VenueRegistry(this.accounts, ring, binanceVenues({ simUrl: this.sim.url, recvWindowMs: 5000 }));
    this.executor = new Executor({
      store: this.ctx.store,
      venues: this.venues,
      recvWindowMs: 5000,
      maxInFlight: 16,
      ackWaitMs: 10_000,
      pollMs: 1000,
      reconcileMs: 60_000,
      log: silent,
    });
    await this.executor.start();

    await Promise.all(this.gateways.map((g) => g.waitReady(60_000)));
    this.bootMs = Date.now() - t0;
  }

  async close(options: { keepLogs?: boolean } = {}): Promise<void> {
    await Promise.allSettled(this.gateways.map((g) => g.stop('SIGTERM', 5000)));
    for (const g of this.gateways) g.close();
    await this.executor?.stop().catch(() => {});
    await this.venues?.close().catch(() => {});
    await this.runner?.stop().catch(() => {});
    this.feed?.stop();
    await this.sim?.close().catch(() => {});
    await this.tdb?.drop().catch(() => {});
    await this.ctx?.close().catch(() => {});
    if (options.keepLogs) process.stderr.write(`[scaling] gateway logs kept in ${this.dir}\n`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}
