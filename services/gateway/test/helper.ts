// A whole Blotter per test file, built from the real pieces: its own JetStream namespace and
// Postgres database, the exchange simulator, the market feed, the projector and the gateway (and,
// when asked, the executor), all in this process. Nothing is mocked but the exchange's network.
import { randomBytes } from 'node:crypto';
import { infraEnv, openTestStore } from '@blotter/eventstore/testing';
import { type StartOptions, startSimulator } from '@blotter/exchange-sim';
import { MarketFeed, publicClient } from '@blotter/market';
import { allReadModels, changeAnnouncer, ProjectionRunner } from '@blotter/read-models';
import { createTestDatabase } from '@blotter/read-models/testing';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Test } from 'tap';
import { buildApp } from '../src/app.ts';
import { type GatewayConfig, loadGatewayConfig } from '../src/config.ts';

const silent = { info() {}, warn() {}, error() {} };

export interface Stack {
  app: FastifyInstance;
  /** http://127.0.0.1:port of the listening gateway. */
  url: string;
  config: GatewayConfig;
  sim: Awaited<ReturnType<typeof startSimulator>>;
  store: Awaited<ReturnType<typeof openTestStore>>['store'];
  namespace: string;
  db: Awaited<ReturnType<typeof createTestDatabase>>['db'];
  /** Connection string of the stack's own database. */
  databaseUrl: string;
  runner: ProjectionRunner;
  /** Extra pieces (the executor) register their stop here. */
  onClose(fn: () => Promise<void>): void;
}

export async function startStack(
  t: Pick<Test, 'teardown'>,
  overrides: Partial<Record<keyof GatewayConfig, string>> = {},
  /** Simulator settings (its limits, say) for stacks that drive more traffic than Binance allows one IP. */
  simOptions: Omit<StartOptions, 'adminToken'> = {},
): Promise<Stack> {
  const ctx = await openTestStore({ partitions: 2 });
  const tdb = await createTestDatabase();
  const adminToken = randomBytes(12).toString('hex');
  const sim = await startSimulator({ ...simOptions, adminToken });
  const feed = new MarketFeed({
    nc: ctx.nc,
    namespace: ctx.namespace,
    client: publicClient({ kind: 'paper', simUrl: sim.url }),
    symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'],
    tickMs: 250,
    candleRefreshMs: 5000,
    log: silent,
  });
  await feed.start();
  const runner = new ProjectionRunner({
    store: ctx.store,
    db: tdb.db,
    schema: 'public',
    models: allReadModels,
    group: 'projector',
    log: silent,
    ackWaitMs: 5000,
    onChanges: changeAnnouncer(ctx.nc, ctx.namespace),
  });
  await runner.start();
  const config = loadGatewayConfig({
    NATS_URL: infraEnv('NATS_URL'),
    DATABASE_URL: tdb.url,
    BLOTTER_NAMESPACE: ctx.namespace,
    JWT_SECRET: randomBytes(32).toString('hex'),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SIM_URL: sim.url,
    SIM_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'warn',
    PORT: '0',
    ...overrides,
  });
  const app = await buildApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const closers: (() => Promise<void>)[] = [];
  t.teardown(async () => {
    for (const fn of closers.reverse()) await fn().catch(() => {});
    await app.close();
    await runner.stop();
    feed.stop();
    await sim.close();
    await tdb.drop();
    await ctx.close();
  });
  return {
    app,
    url,
    config,
    sim,
    store: ctx.store,
    namespace: ctx.namespace,
    db: tdb.db,
    databaseUrl: tdb.url,
    runner,
    onClose: (fn) => closers.push(fn),
  };
}

let counter = 0;
export const uniqueEmail = (prefix = 'trader') => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}@example.com`;

export interface Session {
  token: string;
  userId: string;
  email: string;
}

export async function register(app: FastifyInstance, email = uniqueEmail(), password = 'correct horse battery'): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password } });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { token: body.token, userId: body.user.id, email };
}

/** An inject bound to a session's bearer token. */
export function as(app: FastifyInstance, session: Session) {
  return (opts: InjectOptions) => app.inject({ ...opts, headers: { authorization: `Bearer ${session.token}`, ...(opts.headers ?? {}) } });
}

/** Polls until `check` returns a value that is not undefined/false (no fixed sleeps). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** How many commits the namespace's event stream holds. */
export async function streamCount(stack: Stack): Promise<number> {
  const info = await stack.store.jsm.streams.info(stack.store.streams.events);
  return info.state.messages;
}

/** Adds the executor (real venue adapter on the simulator) to a stack. */
export async function withExecutor(
  stack: Stack,
  options: { pollMs?: number; recvWindowMs?: number; reconcileMs?: number; log?: typeof silent } = {},
) {
  const { createKeyRing, parseKey } = await import('@blotter/accounts');
  const { Executor, VenueRegistry, binanceVenues } = await import('@blotter/executor');
  const ring = createKeyRing(parseKey(stack.config.KEY_ENCRYPTION_KEY, 'KEY_ENCRYPTION_KEY'));
  const recvWindowMs = options.recvWindowMs ?? 5000;
  const venues = new VenueRegistry(stack.app.accounts, ring, binanceVenues({ simUrl: stack.sim.url, recvWindowMs }));
  const executor = new Executor({
    store: stack.store,
    venues,
    recvWindowMs,
    maxInFlight: 16,
    ackWaitMs: 10_000,
    pollMs: options.pollMs ?? 1000,
    reconcileMs: options.reconcileMs ?? 60_000,
    log: options.log ?? silent,
  });
  await executor.start();
  stack.onClose(async () => {
    await executor.stop();
    await venues.close();
  });
  return executor;
}

/** A WebSocket client that records every message, with waiting helpers. */
export async function liveClient(stack: Stack, token?: string) {
  const { WebSocket } = await import('ws');
  const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/api/ws`);
  const messages: Record<string, unknown>[] = [];
  let closed: { code: number; reason: string } | null = null;
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  ws.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (token) ws.send(JSON.stringify({ type: 'auth', token }));
  return {
    ws,
    messages,
    closed: () => closed,
    send: (m: unknown) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
    waitFor: <T = Record<string, unknown>>(pred: (m: Record<string, unknown>) => boolean, what = 'a message') =>
      eventually(() => messages.find(pred) as T | undefined, 20_000, what),
    close: () => ws.close(),
  };
}
