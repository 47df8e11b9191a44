// The process helper and eventually() alone (light to import: unit suites that only poll need no stack).
export { childEnv, eventually, freePort, httpReady, logLine, natsInfo, Proc, portOpen, sleep } from '../../../infra/lib/procs.mjs';
export type { Exit, LogEvent, ProcSpec } from '../../../infra/lib/procs.mjs';
