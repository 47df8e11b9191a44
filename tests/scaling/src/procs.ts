// Real processes under test (gateways, nats-server nodes): spawned as direct children, no shell or
// pnpm in between, so the pid we hold is the process we kill. Output goes to a log file and is kept
// in memory since the last start for readiness checks and failure messages.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy; throws with `what` after `timeoutMs`. */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(everyMs);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = net.createServer();
    srv.once('error', fail);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => done(port));
    });
  });
}

export interface ProcSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  /** True once the process serves (checked after each start). */
  ready: (p: Proc) => Promise<boolean>;
}

const live = new Set<Proc>();
// Whatever happens to the test process, its children do not outlive it.
process.once('exit', () => {
  for (const p of live) p.child?.kill('SIGKILL');
});

/** Environment for a child: ours minus what tap injects into node processes it spawns. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k === 'NODE_OPTIONS' || k.startsWith('TAP') || k.startsWith('_TAPJS') || k.startsWith('NYC')) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export class Proc {
  child: ChildProcess | null = null;
  starts = 0;
  private sinceStart = '';
  private readonly out: WriteStream;

  constructor(readonly spec: ProcSpec) {
    this.out = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get name(): string {
    return this.spec.name;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Text the process wrote since its last start (the last 256 KiB). */
  output(): string {
    return this.sinceStart;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts++;
    this.sinceStart = '';
    this.out.write(`\n=== ${new Date().toISOString()} start #${this.starts}\n`);
    const child = spawn(this.spec.command, this.spec.args, { cwd: this.spec.cwd, env: this.spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    live.add(this);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.out.write(text);
      this.sinceStart = (this.sinceStart + text).slice(-256 * 1024);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      this.out.write(`=== ${new Date().toISOString()} exit code=${code} signal=${signal}\n`);
      if (this.child === child) live.delete(this);
    });
  }

  async waitReady(timeoutMs = 60_000): Promise<number> {
    const t0 = Date.now();
    await waitUntil(
      async () => {
        if (!this.running) throw new Error(`${this.name} exited (code ${this.child?.exitCode}, signal ${this.child?.signalCode})`);
        return this.spec.ready(this);
      },
      timeoutMs,
      `${this.name} to be ready`,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n--- last output of ${this.name}:\n${this.sinceStart.slice(-3000)}`);
    });
    return Date.now() - t0;
  }

  /** Sends a signal and waits for the exit; a SIGTERM not obeyed within `graceMs` becomes a SIGKILL. */
  async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL', graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([exited.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), graceMs)))]);
    clearTimeout(timer);
    if (done) return;
    child.kill('SIGKILL');
    await exited;
  }

  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  close(): void {
    if (this.running) this.child?.kill('SIGKILL');
    live.delete(this);
    this.out.end();
  }
}

/** A TypeScript service entry point, run the way `make dev` runs it: node --import tsx src/server.ts. */
export function serviceSpec(
  name: string,
  service: 'gateway' | 'executor' | 'read-models',
  env: Record<string, string>,
  logFile: string,
  ready: (p: Proc) => Promise<boolean>,
): ProcSpec {
  return {
    name,
    command: process.execPath,
    args: ['--import', 'tsx', 'src/server.ts'],
    cwd: join(repoRoot, 'services', service),
    env: childEnv(env),
    logFile,
    ready,
  };
}

export const httpReady = (url: string) => async (): Promise<boolean> => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
};
