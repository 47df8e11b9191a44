// A whole Blotter from the test kit's launcher (own namespace and database; exchange simulator,
// market feed, projector and gateway listening on a real port, all in this process), plus, when
// asked, the executor as a process of its own (its own event loop, as in production, instead of a
// share of the gateway's). Users are provisioned the way POST /api/auth/register does it (paper
// account on the simulator, AccountOpened commit, user row, encrypted venue keys, a session token)
// except for the scrypt hash, computed once and shared: registering 1,000 users at ~0.1–0.5 s of
// scrypt each would dominate the run and measure nothing.
import { createUser, hashPassword, storeVenueKeys } from '@blotter/accounts';
import { uuidv7 } from '@blotter/eventstore';
import { childEnv, eventually, Proc, type ProcSpec, serviceSpec, type Stack, startStack } from '@blotter/test-kit';
import { onInterrupt } from './infra.ts';
import { pool } from './stats.ts';

export type GatewayOverrides = Record<string, string>;

export interface BenchStack {
  stack: Stack;
  close(): Promise<void>;
}

export async function startBenchStack(overrides: GatewayOverrides = {}, options: { executor?: boolean } = {}): Promise<BenchStack> {
  const stack = await startStack(null, {
    executor: options.executor ? 'process' : 'off',
    env: { gateway: overrides, executor: { EXECUTOR_PARTITIONS: 'all', EXECUTOR_POLL_MS: '1000', LOG_LEVEL: 'info' } },
  });
  // The stack's namespace, database and processes, removed on Ctrl-C too.
  const forget = onInterrupt(() => stack.stop());
  return {
    stack,
    close: async () => {
      forget();
      await stack.stop();
    },
  };
}

/**
 * One of Blotter's service processes (`kind`: its entry point from the services table `make dev`
 * uses) with `env` added to this process's environment. Resolves once it is ready (the table's
 * check, or `ready`); the returned function stops it (SIGTERM, then SIGKILL after 10 s).
 */
export async function spawnService(
  kind: 'projector' | 'market' | 'executor',
  name: string,
  env: Record<string, string>,
  ready?: ProcSpec['ready'],
): Promise<() => Promise<void>> {
  const proc = new Proc(serviceSpec(kind, childEnv(env), { name, ...(ready ? { ready } : {}) }));
  proc.start();
  try {
    await proc.waitReady(60_000);
  } catch (err) {
    proc.close();
    throw err;
  }
  return async () => {
    await proc.stop('SIGTERM', 10_000);
    proc.close();
  };
}

export interface BenchUser {
  userId: string;
  token: string;
}

export async function provisionUsers(stack: Stack, count: number, onProgress?: (done: number) => void): Promise<BenchUser[]> {
  const { app, store, sim } = stack;
  const ring = stack.keyRing();
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

/** Waits for the market feed's first ticker of `symbol` (MARKET orders need a mark price). */
export const waitTicker = (stack: Stack, symbol: string, timeoutMs = 30_000): Promise<string> =>
  eventually(() => stack.app.market.markPrice(symbol), timeoutMs, `a ticker of ${symbol}`, 50);
