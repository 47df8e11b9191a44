// @blotter/test-kit: everything the suites share. Test code only: no production package imports it.
export {
  childEnv,
  type Exit,
  eventually,
  freePort,
  httpReady,
  type LogEvent,
  logLine,
  natsInfo,
  Proc,
  type ProcSpec,
  portOpen,
  sleep,
} from './procs.ts';
export { buildOnce } from '../../../infra/lib/build-once.mjs';
export { exitWhenWritten } from '../../../infra/lib/exit.mjs';
export { repoRoot, serviceSpec } from '../../../infra/lib/services.mjs';
export { as, call, liveClient, register, registerAt, type Session, streamCount } from './clients.ts';
export { createTestDatabase, type TestDatabase, withAdminClient } from './database.ts';
export { BTCUSDT, SYMBOLS, silent, uniqueEmail } from './fixtures.ts';
export { deleteNamespace, infraEnv, openTestStore, removeNamespace, type TestStore, testNamespace } from './infra.ts';
export {
  type Log,
  natsBinary,
  type Owner,
  type Piece,
  type Secrets,
  type Stack,
  type StackOptions,
  startStack,
  uiServer,
  type Where,
} from './stack.ts';
