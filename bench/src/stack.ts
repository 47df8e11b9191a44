// A whole Blotter, assembled exactly as the gateway's integration tests do (`startStack`: own
// namespace and database; exchange simulator, market feed, projector and gateway listening on a real
// port, all in this process), plus, when asked, the executor as a process of its own. Users are provisioned the way
// POST /api/auth/register does it (paper account on the simulator, AccountOpened commit, user row,
// encrypted venue keys, a session token) except for the scrypt hash, computed once and shared:
// registering 1,000 users at ~0.1–0.5 s of scrypt each would dominate the run and measure nothing.
import { createKeyRing, createUser, hashPassword, parseKey, storeVenueKeys } from '@blotter/accounts';
import { uuidv7 } from '@blotter/eventstore';
import { type Stack, startStack } from '@blotter/gateway/testing';
import type { Test } from 'tap';
import { onInterrupt } from './infra.ts';
import { logged, startService } from './procs.ts';
import { pool } from './stats.ts';

export type GatewayOverrides = Partial<Record<keyof Stack['config'], string>>;

export interface BenchStack {
  stack: Stack;
  close(): Promise<void>;
}

export async function startBlotter(overrides: GatewayOverrides = {}, options: { executor?: boolean } = {}): Promise<BenchStack> {
  const teardowns: (() => Promise<void>)[] = [];
  // startStack registers its teardown on a tap Test; this stands in for one.
  const owner = { teardown: (fn: () => Promise<void>) => teardowns.push(fn) } as unknown as Test;
  const teardown = async () => {
    for (const fn of teardowns.splice(0).reverse()) await fn().catch(() => {});
  };
  // The stack's namespace and database, removed on Ctrl-C too.
  const forget = onInterrupt(teardown);
  let stack: Stack;
  try {
    stack = await startStack(owner, overrides);
    if (options.executor) {
      const stop = await spawnExecutor(stack);
      teardowns.push(stop);
    }
  } catch (err) {
    forget();
    await teardown();
    throw err;
  }
  return {
    stack,
    close: async () => {
      forget();
      await teardown();
    },
  };
}

/**
 * The executor as its own process (`services/executor/src/server.ts`, as `make dev` runs it) on the
 * stack's namespace, database and simulator: its own event loop, as in production, instead of a
 * share of the gateway's. Resolves once it logged that it started; the returned function stops it.
 */
function spawnExecutor(stack: Stack): Promise<() => Promise<void>> {
  return spawnService(
    'services/executor/src/server.ts',
    {
      NATS_URL: stack.config.NATS_URL,
      DATABASE_URL: stack.databaseUrl,
      BLOTTER_NAMESPACE: stack.namespace,
      READ_MODEL_SCHEMA: stack.config.READ_MODEL_SCHEMA,
      KEY_ENCRYPTION_KEY: stack.config.KEY_ENCRYPTION_KEY,
      SIM_URL: stack.sim.url,
      EXECUTOR_PARTITIONS: 'all',
      EXECUTOR_POLL_MS: '1000',
      LOG_LEVEL: 'info',
    },
    '"executor started"',
  );
}

/**
 * One of Blotter's service processes (`script`, run with tsx from the repository's root) with
 * `env` added to this process's environment. Resolves once its output contains `ready`; the
 * returned function stops it (SIGTERM, then SIGKILL after 10 s).
 */
export async function spawnService(script: string, env: Record<string, string>, ready: string): Promise<() => Promise<void>> {
  return (await startService(script, script, env, logged(ready))).stop;
}

export interface BenchUser {
  userId: string;
  token: string;
}

export async function provisionUsers(stack: Stack, count: number, onProgress?: (done: number) => void): Promise<BenchUser[]> {
  const { app, store, sim, config } = stack;
  const ring = createKeyRing(parseKey(config.KEY_ENCRYPTION_KEY, 'KEY_ENCRYPTION_KEY'));
  const passwordHash = await hashPassword('bench password, shared by every bench user');
  const users: BenchUser[] = [];
  let done = 0;
  await pool(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const id = uuidv7();
      const email = `bench${i}-${id.slice(-12)}@example.com`;
      const paper = await sim.admin.createAccount();
      await store.append(
        { commitId: `open-${id}`, subject: store.subjects.account(id), aggregateId: id, userId: id, occurredAt: new Date().toISOString() },
        [
          {
            type: 'AccountOpened',
            data: {
              userId: id,
              email,
              venue: 'paper',
              deposits: paper.balances.filter((b) => Number(b.free) > 0).map((b) => ({ asset: b.asset, amount: b.free })),
            },
          },
        ],
        0,
        null,
      );
      await createUser(app.accounts, { id, email, passwordHash, roles: ['trader'], venue: 'paper' });
      await storeVenueKeys(app.accounts, ring, id, { venue: 'paper', apiKey: paper.apiKey, apiSecret: paper.apiSecret });
      users.push({ userId: id, token: app.signSession({ sub: id, email, roles: ['trader'] }) });
      onProgress?.(++done);
    },
  );
  return users;
}

/** Waits until the projector has applied every commit appended so far (e.g. the users' deposits). */
export async function waitProjected(stack: Stack, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const last = await stack.store.lastSeq();
  for (;;) {
    const row = await stack.db
      .selectFrom('projectionCheckpoints')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    const idle = stack.runner.partitionStats().every((p) => p.pending === 0);
    if (idle && Number(row?.seq ?? 0) >= last) return;
    if (Date.now() > deadline) throw new Error('projector did not catch up in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for the market feed's first ticker of `symbol` (MARKET orders need a mark price). */
export async function waitTicker(stack: Stack, symbol: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const price = stack.app.market.markPrice(symbol);
    if (price) return price;
    if (Date.now() > deadline) throw new Error(`no ticker for ${symbol}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
