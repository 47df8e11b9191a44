// Blotter's services as processes: what `make dev` starts, in its order, and how each one says
// it is ready. infra/bin/dev.mjs and the test kit's stack launcher (tests/kit) both start them from
// this table with infra/lib/procs.mjs, so a test's stack runs the same entry points `make dev` runs.
import { join, resolve } from 'node:path';
import { ensureBundle } from './bundles.mjs';
import { httpReady, logLine, portOpen } from './procs.mjs';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** A service's TypeScript entry point: its process runs the entry's bundle (bundles.mjs). */
const ts = (entry) => ({ entry, command: process.execPath, cwd: repoRoot });

/**
 * name → { command, args, cwd, ready(env) }. `ready` gets the environment the service runs with
 * (its ports come from there); services that own no port announce themselves with a log line at
 * info level.
 */
export const services = {
  sim: {
    ...ts('services/exchange-sim/src/server.ts'),
    ready: (env) => httpReady(`http://127.0.0.1:${env.SIM_PORT}/api/v3/ping`),
  },
  market: { ...ts('services/market/src/server.ts'), ready: () => logLine(/market feed started/) },
  projector: { ...ts('services/read-models/src/server.ts'), ready: () => logLine(/projection runner started/) },
  executor: { ...ts('services/executor/src/server.ts'), ready: () => logLine(/executor started/) },
  gateway: {
    ...ts('services/gateway/src/server.ts'),
    ready: (env) => httpReady(`http://${env.HOST ?? '127.0.0.1'}:${env.PORT}/readyz`),
  },
  // `make dev` runs vite's dev server as our own direct child (no pnpm/sh in between, so a SIGTERM
  // reaches it and it frees UI_PORT); tests run the production build (`ui:built`), which is what
  // people are served.
  ui: {
    command: process.execPath,
    args: [join(repoRoot, 'ui/node_modules/vite/bin/vite.js'), 'dev', '--logLevel', 'warn'],
    cwd: join(repoRoot, 'ui'),
    ready: (env) => () => portOpen(env.UI_PORT),
  },
  'ui:built': {
    command: process.execPath,
    args: [join(repoRoot, 'ui/build/index.js')],
    cwd: join(repoRoot, 'ui'),
    ready: (env) => httpReady(`http://127.0.0.1:${env.PORT}/login`, 500),
  },
};

/** The order `make dev` starts them in: each one's dependencies come before it. */
export const devOrder = ['sim', 'market', 'projector', 'executor', 'gateway', 'ui'];

/** A Proc spec (procs.mjs) for service `name` running with `env`; `extra` adds name, logFile, onLine… */
export function serviceSpec(name, env, extra = {}) {
  const s = services[name];
  if (!s) throw new Error(`unknown service ${name}`);
  const args = s.entry ? ['--enable-source-maps', ensureBundle(s.entry)] : s.args;
  return { name, command: s.command, args, cwd: s.cwd, env, ready: s.ready(env), ...extra };
}
