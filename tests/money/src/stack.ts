// The whole Blotter for the money tests: the test kit's stack (its own JetStream namespace and
// Postgres database, the exchange simulator, the market feed, the projector, the gateway) plus an
// executor that can be stopped and started again mid-test, on venue clients that may be wrapped to
// lose what the user-data stream says (how a fill report gets lost or arrives late in production).
import { setTimeout as sleep } from 'node:timers/promises';
import { createKeyRing, loadVenueKeys, parseKey } from '@blotter/accounts';
import { binanceVenues, Executor, type VenueFactory, VenueRegistry } from '@blotter/executor';
import type { VenueClient } from '@blotter/executor/venue';
import { as, eventually, register, type Session, type Stack, startStack } from '@blotter/test-kit';
import { dec, str } from '@blotter/orders';
import type { Test } from 'tap';

export { as, eventually, register, type Session, type Stack };

const silent = { info() {}, warn() {}, error() {} };

export interface ExecutorHandle {
  executor: Executor;
  stop(): Promise<void>;
}

export interface ExecutorOptions {
  pollMs?: number;
  reconcileMs?: number;
  /** Wraps each user's venue client (to lose user-data reports, say). */
  wrap?: (client: VenueClient) => VenueClient;
}

/**
 * The stack, its simulator allowing far more than Binance's per-IP request weight: every client
 * here (the executor, the market feed, the test's own venue queries) shares one loopback address,
 * and the differential test runs many users' sequences at once.
 */
export async function moneyStack(t: Pick<Test, 'teardown'>): Promise<Stack> {
  return startStack(t, { simOptions: { limits: { requestWeightPerMinute: 100_000_000, rawRequestsPer5m: 100_000_000 } } });
}

/** Starts an executor on the stack; `stop()` ends it (a restart is stop() then startExecutor again). */
export async function startExecutor(stack: Stack, options: ExecutorOptions = {}): Promise<ExecutorHandle> {
  const ring = createKeyRing(parseKey(stack.config.KEY_ENCRYPTION_KEY, 'KEY_ENCRYPTION_KEY'));
  const recvWindowMs = 5000;
  const base = binanceVenues({ simUrl: stack.sim.url, recvWindowMs });
  const wrap = options.wrap;
  const factory: VenueFactory = wrap ? async (keys) => wrap(await base(keys)) : base;
  const venues = new VenueRegistry(stack.app.accounts, ring, factory);
  const executor = new Executor({
    store: stack.store,
    venues,
    recvWindowMs,
    maxInFlight: 16,
    ackWaitMs: 10_000,
    pollMs: options.pollMs ?? 1000,
    reconcileMs: options.reconcileMs ?? 60_000,
    log: silent,
  });
  await executor.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await executor.stop();
    await venues.close();
  };
  stack.onClose(stop);
  return { executor, stop };
}

/**
 * A venue client whose user-data stream loses every report that carries a fill: the executor then
 * hears of an execution only from an answer to its own request (a placement's FULL response, a
 * cancel's executedQty) or from a query.
 */
export function losingFillReports(client: VenueClient): VenueClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'subscribe') {
        const subscribe: VenueClient['subscribe'] = (handlers) =>
          target.subscribe({
            onReport: (report) => {
              if (report.fills.length === 0) handlers.onReport(report);
            },
            onReconnect: handlers.onReconnect,
          });
        return subscribe;
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A new user. Registering opens the user's paper account at the simulator; under the load of many
 * sequences that call may time out, which the gateway answers 503 "try again shortly": so we do.
 */
export async function newUser(stack: Stack): Promise<Session> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await register(stack.app);
    } catch (err) {
      if (attempt >= 6 || !String(err).includes(' 503 ')) throw err;
      await sleep(500 * attempt);
    }
  }
}

/** The simulator account behind a user's stored paper keys. */
export async function venueKeysOf(stack: Stack, userId: string): Promise<{ apiKey: string; apiSecret: string }> {
  const ring = createKeyRing(parseKey(stack.config.KEY_ENCRYPTION_KEY, 'KEY_ENCRYPTION_KEY'));
  const keys = await loadVenueKeys(stack.app.accounts, ring, userId, 'paper');
  if (!keys) throw new Error(`user ${userId} has no paper keys`);
  return { apiKey: keys.apiKey, apiSecret: keys.apiSecret };
}

/** free + locked per asset at the venue, zero balances left out. */
export async function venueTotals(stack: Stack, userId: string): Promise<Record<string, string>> {
  const { apiKey } = await venueKeysOf(stack, userId);
  const rows = (await stack.sim.admin.balances(apiKey)) as { asset: string; free: string; locked: string }[];
  return totals(rows);
}

/** free + locked per asset as Blotter's balances read model shows them, zero balances left out. */
export async function blotterTotals(stack: Stack, session: Session): Promise<Record<string, string>> {
  const res = await as(stack.app, session)({ method: 'GET', url: '/api/balances' });
  return totals(res.json().balances as { asset: string; free: string; locked: string }[]);
}

function totals(rows: readonly { asset: string; free: string; locked: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) {
    const total = dec(r.free).plus(r.locked);
    if (!total.eq(0)) out[r.asset] = str(total);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
