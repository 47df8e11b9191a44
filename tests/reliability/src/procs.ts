// Real processes under test: spawned as direct children (no shell, no pnpm in between), so the pid we
// hold is the process we kill. Each one keeps its output in a log file, counts its starts, kills
// and terminations, and can report its resident memory from /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
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
  everyMs = 200,
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

/** The INFO a NATS server sends on connect, or null when nothing answers. */
export function natsInfo(port: number, timeoutMs = 1000): Promise<{ jetstream?: boolean; version?: string } | null> {
  return new Promise((done) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    const finish = (v: { jetstream?: boolean; version?: string } | null) => {
      socket.destroy();
      done(v);
    };
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.on('error', () => finish(null));
    socket.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      if (!buf.includes('\r\n')) return;
      const line = buf.split('\r\n')[0] ?? '';
      try {
        finish(line.startsWith('INFO ') ? JSON.parse(line.slice(5)) : null);
      } catch {
        finish(null);
      }
    });
  });
}

/** A pino line the process wrote at warn level or above. */
export interface LogEvent {
  at: number;
  level: number;
  msg: string;
  fields: Record<string, unknown>;
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

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
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
  /** SIGKILLs sent by the harness. */
  kills = 0;
  /** SIGTERMs sent by the harness. */
  terms = 0;
  readonly exits: Exit[] = [];
  /** warn/error lines (pino JSON) since the harness started it, newest last (bounded). */
  readonly events: LogEvent[] = [];
  private sinceStart = '';
  private readonly out: WriteStream;
  startedAt = 0;

  constructor(readonly spec: ProcSpec) {
    this.out = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Text the process wrote since its last start (bounded to the last 256 KiB). */
  output(): string {
    return this.sinceStart;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts++;
    this.startedAt = Date.now();
    this.sinceStart = '';
    this.out.write(`\n=== ${new Date().toISOString()} start #${this.starts}\n`);
    const child = spawn(this.spec.command, this.spec.args, { cwd: this.spec.cwd, env: this.spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    live.add(this);
    let partial = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.out.write(text);
      this.sinceStart = (this.sinceStart + text).slice(-256 * 1024);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.scan(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      this.exits.push({ code, signal, at: Date.now() });
      this.out.write(`=== ${new Date().toISOString()} exit code=${code} signal=${signal}\n`);
      if (this.child === child) live.delete(this);
    });
  }

  private scan(line: string): void {
    if (!line.startsWith('{')) return;
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      if (typeof j.level === 'number' && j.level >= 40) {
        this.events.push({ at: Number(j.time ?? Date.now()), level: j.level, msg: String(j.msg ?? ''), fields: j });
        if (this.events.length > 20_000) this.events.splice(0, 5_000);
      }
    } catch {}
  }

  async waitReady(timeoutMs = 60_000): Promise<number> {
    const t0 = Date.now();
    await waitUntil(
      async () => {
        if (!this.running) throw new Error(`${this.name} exited: ${JSON.stringify(this.exits.at(-1))}\n${this.sinceStart.slice(-2000)}`);
        return this.spec.ready(this);
      },
      timeoutMs,
      `${this.name} to be ready`,
      100,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n--- last output of ${this.name}:\n${this.sinceStart.slice(-3000)}`);
    });
    return Date.now() - t0;
  }

  /** Sends a signal and waits for the process to exit; a SIGTERM that does not end it in `graceMs` is followed by SIGKILL. */
  async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL', graceMs = 20_000): Promise<Exit & { ms: number }> {
    const child = this.child;
    if (!child || !this.running) return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null, at: Date.now(), ms: 0 };
    const t0 = Date.now();
    const exited = new Promise<Exit>((r) => child.once('exit', (code, sig) => r({ code, signal: sig, at: Date.now() })));
    if (signal === 'SIGKILL') this.kills++;
    else this.terms++;
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      exited,
      new Promise<null>((r) => {
        timer = setTimeout(() => r(null), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (result) return { ...result, ms: Date.now() - t0 };
    child.kill('SIGKILL');
    return { ...(await exited), ms: Date.now() - t0 };
  }

  kill(): Promise<Exit & { ms: number }> {
    return this.stop('SIGKILL');
  }

  /** Resident set size in KiB, from /proc (null when not running). */
  rssKb(): number | null {
    if (!this.running || !this.pid) return null;
    try {
      const m = readFileSync(`/proc/${this.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)\s+kB/);
      return m ? Number(m[1]) : null;
    } catch {
      return null;
    }
  }

  /** Pauses (SIGSTOP) or resumes (SIGCONT) the process without ending it. */
  freeze(on: boolean): void {
    this.child?.kill(on ? 'SIGSTOP' : 'SIGCONT');
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
  service: 'gateway' | 'executor' | 'read-models' | 'market' | 'exchange-sim',
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

/** The readiness of a service that announces itself with a log line. */
export const logLine =
  (pattern: RegExp) =>
  async (p: Proc): Promise<boolean> =>
    pattern.test(p.output());

export const httpReady = (url: string) => async (): Promise<boolean> => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
};
