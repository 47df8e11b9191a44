// The one way Blotter's own tooling starts, watches and stops processes: `make dev`
// (infra/bin/dev.mjs) and the test kit (tests/kit) both use it, so a test's stack runs its services
// exactly as `make dev` does. Tooling only: no production package imports anything under infra/.
//
// Children are spawned directly (no shell, no pnpm in between), so the pid held is the process
// killed; every child still running when this process exits is SIGKILLed.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import net from 'node:net';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns something other than undefined, null or false, and returns it.
 * A check that throws counts as "not yet" (its last error is in the timeout's message): services
 * that are still starting refuse connections, and that is what we wait out.
 */
export async function eventually(check, timeoutMs = 30_000, what = 'a condition', everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last?.message ?? String(last)})` : ''}`,
      );
    await sleep(everyMs);
  }
}

export function freePort() {
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

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port) {
  return new Promise((done) => {
    const s = net.connect({ port: Number(port), host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

/** Readiness: `url` answers with a status below `below` (2xx by default). */
export const httpReady =
  (url, below = 300) =>
  async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
      await res.arrayBuffer();
      return res.status < below;
    } catch {
      return false;
    }
  };

/** Readiness: the process wrote a line matching `pattern` since its last start. */
export const logLine = (pattern) => async (p) => pattern.test(p.output());

/** The INFO a NATS server (a port on 127.0.0.1, or a nats:// URL) sends on connect, or null when nothing answers. */
export function natsInfo(target, timeoutMs = 1000) {
  const { hostname, port } = typeof target === 'number' ? { hostname: '127.0.0.1', port: target } : new URL(target);
  return new Promise((done) => {
    const socket = net.connect({ host: hostname, port: Number(port || 4222) });
    let buf = '';
    const finish = (v) => {
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

/** Environment for a child: `base` minus what tap injects into the node processes it spawns, plus `extra`. */
export function childEnv(extra = {}, base = process.env) {
  const env = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || k === 'NODE_OPTIONS' || k.startsWith('TAP') || k.startsWith('_TAPJS') || k.startsWith('NYC')) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

const live = new Set();
// Whatever happens to this process (a test that times out, an uncaught error), its children do not outlive it.
process.once('exit', () => {
  for (const p of live) p.child?.kill('SIGKILL');
});

/**
 * One child process that can be started again after it ended: it keeps its output (in a log file
 * when the spec names one, the last 256 KiB since its last start in memory, every line when
 * `keepLines`), counts starts, kills and terminations, and knows when it is ready.
 */
export class Proc {
  child = null;
  starts = 0;
  kills = 0;
  terms = 0;
  exits = [];
  /** pino lines at warn level or above since the first start, newest last (bounded). */
  events = [];
  /** Every line since the first start, when the spec asks for `keepLines`. */
  lines = [];
  startedAt = 0;
  #sinceStart = '';
  #out = null;

  constructor(spec) {
    this.spec = spec;
    if (spec.logFile) this.#out = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get name() {
    return this.spec.name;
  }

  get pid() {
    return this.child?.pid;
  }

  get running() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Text the process wrote since its last start (bounded to the last 256 KiB). */
  output() {
    return this.#sinceStart;
  }

  start() {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts++;
    this.startedAt = Date.now();
    this.#sinceStart = '';
    this.#out?.write(`\n=== ${new Date().toISOString()} start #${this.starts}\n`);
    const { command, args, cwd, env } = this.spec;
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    live.add(this);
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream.on('data', (chunk) => {
        const text = chunk.toString('utf8');
        this.#out?.write(text);
        this.#sinceStart = (this.#sinceStart + text).slice(-256 * 1024);
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.#line(line);
      });
    }
    child.once('exit', (code, signal) => {
      const exit = { code, signal, at: Date.now() };
      this.exits.push(exit);
      this.#out?.write(`=== ${new Date().toISOString()} exit code=${code} signal=${signal}\n`);
      if (this.child === child) live.delete(this);
      this.spec.onExit?.(exit, this);
    });
  }

  #line(line) {
    if (this.spec.keepLines && line) this.lines.push(line);
    this.spec.onLine?.(line, this);
    if (!line.startsWith('{')) return;
    try {
      const j = JSON.parse(line);
      if (typeof j.level === 'number' && j.level >= 40) {
        this.events.push({ at: Number(j.time ?? Date.now()), level: j.level, msg: String(j.msg ?? ''), fields: j });
        if (this.events.length > 20_000) this.events.splice(0, 5_000);
      }
    } catch {}
  }

  /** Waits until the spec's `ready` holds; throws with the process's last output if it exits first. */
  async waitReady(timeoutMs = 60_000) {
    const t0 = Date.now();
    let exited = null;
    await eventually(
      async () => {
        if (!this.running) {
          exited = new Error(`${this.name} exited: ${JSON.stringify(this.exits.at(-1))}`);
          return true;
        }
        return this.spec.ready ? this.spec.ready(this) : true;
      },
      timeoutMs,
      `${this.name} to be ready`,
    ).catch((err) => {
      exited = err;
    });
    if (exited) throw new Error(`${exited.message}\n--- last output of ${this.name}:\n${this.#sinceStart.slice(-3000)}`);
    return Date.now() - t0;
  }

  /** Sends a signal and waits for the exit; a SIGTERM that does not end it within `graceMs` is followed by SIGKILL. */
  async stop(signal = 'SIGKILL', graceMs = 20_000) {
    const child = this.child;
    if (!child || !this.running) return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null, at: Date.now(), ms: 0 };
    const t0 = Date.now();
    const exited = new Promise((r) => child.once('exit', (code, sig) => r({ code, signal: sig, at: Date.now() })));
    if (signal === 'SIGKILL') this.kills++;
    else this.terms++;
    child.kill(signal);
    let timer;
    const result = await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r(null), graceMs)))]);
    clearTimeout(timer);
    if (result) return { ...result, ms: Date.now() - t0 };
    child.kill('SIGKILL');
    return { ...(await exited), ms: Date.now() - t0 };
  }

  kill() {
    return this.stop('SIGKILL');
  }

  /** Stops it (SIGTERM, then SIGKILL after `graceMs`), starts it again and waits until it is ready. */
  async restart(graceMs = 10_000, timeoutMs = 60_000) {
    await this.stop('SIGTERM', graceMs);
    this.start();
    return this.waitReady(timeoutMs);
  }

  /** Resident set size in KiB, from /proc (null when not running). */
  rssKb() {
    if (!this.running || !this.pid) return null;
    try {
      const m = readFileSync(`/proc/${this.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)\s+kB/);
      return m ? Number(m[1]) : null;
    } catch {
      return null;
    }
  }

  /** Pauses (SIGSTOP) or resumes (SIGCONT) the process without ending it. */
  freeze(on) {
    this.child?.kill(on ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Kills it if it still runs and closes its log. */
  close() {
    if (this.running) this.child?.kill('SIGKILL');
    live.delete(this);
    this.#out?.end();
  }
}
