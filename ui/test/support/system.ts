// The whole Blotter for one browser test file, started as `make dev` starts it: the kit's stack with
// every service its own process (a fresh JetStream namespace and Postgres database, the exchange
// simulator, the market feed, the projector, the executor and the gateway on a real port, against
// the real NATS and Postgres of `make up`) and the UI's production build (`node ui/build/index.js`)
// as a process pointed at that gateway. Nothing is faked: the simulator stands in for the
// exchange's network only, as in `make dev`.
import { grantRole } from '@blotter/accounts';
import { call, type Stack, startStack } from '@blotter/test-kit';
import { ensureBuild } from './browser.ts';

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
  // As `make dev` runs it: every service its own process, the UI's production build served by its own server.
  const stack = await startStack(null, { processes: true, ui: true, env: { executor: { EXECUTOR_POLL_MS: '500' } } });
  return {
    uiUrl: stack.uiUrl,
    gatewayUrl: stack.url,
    namespace: stack.namespace,
    stack,
    grant: async (userId, role) => {
      if (!(await grantRole(stack.accounts, userId, role))) throw new Error(`no user ${userId}`);
    },
    uiOutput: () => stack.proc('ui').output(),
    timings: `build check ${secs(built - t0)}, stack and UI server ${secs(Date.now() - built)}`,
    stop: () => stack.stop(),
  };
}

/** A JSON call straight to the gateway (for test set-up that is not what a flow is about). */
export const gatewayCall = <T = unknown>(
  blotter: Pick<Blotter, 'gatewayUrl'>,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
) => call<T>(blotter.gatewayUrl, method, path, opts);
