// A whole Blotter whose every log line is kept: like helper.ts's startStack, but the gateway runs as
// its own process (src/server.ts, the production entry point and logger, at LOG_LEVEL=trace) with
// stdout and stderr captured, and the in-process pieces (market feed, projector, executor) log
// through real pino loggers into memory. Also records every NATS message of the namespace.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AccountTables, createKeyRing, parseKey } from '@blotter/accounts';
import { infraEnv, openTestStore } from '@blotter/eventstore/testing';
import { startSimulator } from '@blotter/exchange-sim';
import { Executor, VenueRegistry } from '@blotter/executor';
import { createBinanceVenue } from '@blotter/executor/venue';
import { MarketFeed, publicClient } from '@blotter/market';
import { allReadModels, changeAnnouncer, ProjectionRunner } from '@blotter/read-models';
import { createTestDatabase } from '@blotter/read-models/testing';
import type { Kysely } from 'kysely';
import pino from 'pino';
import type { Test } from 'tap';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

export interface Captured {
  /** Every line the gateway process wrote (stdout and stderr). */
  gateway: string[];
  /** Every line the in-process loggers wrote (feed, projector, executor). */
  inProcess: string[];
  /** Every message published on `<namespace>.>` while the stack ran, as `subject payload`. */
  nats: string[];
}

export async function startLoggedStack(t: Test) {
  const ctx = await openTestStore({ partitions: 2 });
  const tdb = await createTestDatabase();
  const simAdminToken = randomBytes(12).toString('hex');
  const sim = await startSimulator({ adminToken: simAdminToken });
  const captured: Captured = { gateway: [], inProcess: [], nats: [] };
  const logger = (name: string) => pino({ name, level: 'trace' }, { write: (line: string) => void captured.inProcess.push(line) });

  const decoder = new TextDecoder();
  const tap = ctx.nc.subscribe(`${ctx.namespace}.>`, {
    callback: (_err, msg) => captured.nats.push(`${msg.subject} ${decoder.decode(msg.data)}`),
  });

  const feed = new MarketFeed({
    nc: ctx.nc,
    namespace: ctx.namespace,
    client: publicClient({ kind: 'paper', simUrl: sim.url }),
    symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'],
    tickMs: 250,
    candleRefreshMs: 5000,
    log: logger('market-feed'),
  });
  await feed.start();
  const runner = new ProjectionRunner({
    store: ctx.store,
    db: tdb.db,
    schema: 'public',
    models: allReadModels,
    group: 'projector',
    log: logger('projector'),
    ackWaitMs: 5000,
    onChanges: changeAnnouncer(ctx.nc, ctx.namespace),
  });
  await runner.start();

  const config = {
    NATS_URL: infraEnv('NATS_URL'),
    DATABASE_URL: tdb.url,
    BLOTTER_NAMESPACE: ctx.namespace,
    JWT_SECRET: randomBytes(32).toString('hex'),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SIM_URL: sim.url,
    SIM_ADMIN_TOKEN: simAdminToken,
    LOG_LEVEL: 'trace',
    PORT: '0',
    HOST: '127.0.0.1',
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'services/gateway/src/server.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...config },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = (sink: string[]) => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      sink.push(...parts.filter(Boolean));
    };
  };
  child.stdout?.on('data', lines(captured.gateway));
  child.stderr?.on('data', lines(captured.gateway));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`gateway did not start:\n${captured.gateway.join('\n')}`)), 60_000);
    const poll = setInterval(() => {
      for (const l of captured.gateway) {
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(l);
        if (m?.[1]) {
          clearInterval(poll);
          clearTimeout(timer);
          ok(m[1]);
        }
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      fail(new Error(`gateway exited with ${code}:\n${captured.gateway.join('\n')}`));
    });
  });

  // The executor, as services/executor/src/server.ts builds it; both venues go to the simulator
  // (a testnet key is simply unknown there, which exercises the refusal path).
  const ring = createKeyRing(parseKey(config.KEY_ENCRYPTION_KEY, 'KEY_ENCRYPTION_KEY'));
  const accounts = tdb.db as unknown as Kysely<AccountTables>;
  const venues = new VenueRegistry(accounts, ring, (keys) =>
    createBinanceVenue({ apiKey: keys.apiKey, apiSecret: keys.apiSecret, kind: 'paper', baseUrl: sim.url, recvWindowMs: 5000 }),
  );
  const executorLog = pino(
    { name: 'executor', level: 'trace', redact: ['*.apiKey', '*.apiSecret', '*.signature'] },
    { write: (line: string) => void captured.inProcess.push(line) },
  );
  const executor = new Executor({
    store: ctx.store,
    venues,
    recvWindowMs: 5000,
    maxInFlight: 16,
    ackWaitMs: 10_000,
    pollMs: 500,
    log: executorLog,
  });
  await executor.start();

  t.teardown(async () => {
    await executor.stop().catch(() => {});
    await venues.close().catch(() => {});
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    tap.unsubscribe();
    await runner.stop();
    feed.stop();
    await sim.close();
    await tdb.drop();
    await ctx.close();
  });
  return { url, config, sim, store: ctx.store, namespace: ctx.namespace, db: tdb.db, databaseUrl: tdb.url, ring, accounts, captured };
}
