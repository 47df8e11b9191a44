// The whole Blotter for one browser test file, from the real pieces. The back end is assembled in
// this process exactly as the gateway's own integration tests do (`startStack` from
// @blotter/gateway/testing: a fresh JetStream namespace and Postgres database, the exchange
// simulator, the market feed, the projector and the gateway on a real port; `withExecutor` adds
// the executor), against the real NATS and Postgres of `make up`. The UI is the production build
// (`node ui/build/index.js`) pointed at that gateway. Nothing is faked: the simulator stands in
// for the exchange's network only, as in `make dev`.
//
// One process instead of `make dev`'s seven: on a busy two-core machine booting seven TypeScript
// processes one after the other took minutes; this takes seconds.
import { grantRole } from '@blotter/accounts';
import { type Stack, startStack, withExecutor } from '@blotter/gateway/testing';
import type { Test } from 'tap';
import { ensureBuild, startUi, type UiServer } from './browser.ts';

export interface Blotter {
  /** The UI as people open it (its ORIGIN: form actions compare origins). */
  uiUrl: string;
  gatewayUrl: string;
  namespace: string;
  stack: Stack;
  /** Gives a registered user a role, as `blotter users grant` does in the accounts database. */
  grant(userId: string, role: 'auditor' | 'trader'): Promise<void>;
  /** How long each part took to start. */
  timings: string;
  /** What the UI server printed (for a failure's diagnosis). */
  uiOutput(): string;
  stop(): Promise<void>;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Starts a Blotter; the caller stops it (in its teardown, after closing its browser). */
export async function startBlotter(): Promise<Blotter> {
  const t0 = Date.now();
  ensureBuild();
  const built = Date.now();
  const teardowns: (() => Promise<void>)[] = [];
  // startStack registers its teardown on a tap Test; this stands in for one so that the order of
  // stopping is ours: UI first, then the executor, then the rest of the stack.
  const owner = { teardown: (fn: () => Promise<void>) => void teardowns.push(fn) } as unknown as Test;
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      for (const fn of teardowns.splice(0).reverse()) await fn().catch(() => undefined);
    })();
    return stopped;
  };
  // If the test process dies without its teardown (a tap timeout), the namespace and database are
  // left behind, but no process is: the UI server is killed by startUi's exit hook, the rest of
  // the stack lives in this process.

  let ui: UiServer;
  let stack: Stack;
  let stackUp = 0;
  try {
    stack = await startStack(owner, { LOG_LEVEL: 'warn' });
    await withExecutor(stack, { pollMs: 500 });
    stackUp = Date.now();
    ui = await startUi({ GATEWAY_URL: stack.url });
    teardowns.push(() => ui.stop());
  } catch (err) {
    await stop();
    throw err;
  }
  const accounts = stack.app.accounts;
  return {
    uiUrl: ui.url,
    gatewayUrl: stack.url,
    namespace: stack.namespace,
    stack,
    grant: async (userId, role) => {
      if (!(await grantRole(accounts, userId, role))) throw new Error(`no user ${userId}`);
    },
    uiOutput: () => ui.output(),
    timings: `build check ${secs(built - t0)}, stack ${secs(stackUp - built)}, UI server ${secs(Date.now() - stackUp)}`,
    stop,
  };
}

/** A JSON call straight to the gateway (for test set-up that is not what a flow is about). */
export async function gatewayCall<T = unknown>(
  blotter: Pick<Blotter, 'gatewayUrl'>,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${blotter.gatewayUrl}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Polls `check` until it returns a value other than undefined/false; for state outside the page. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
