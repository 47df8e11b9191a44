// Blotter's services as processes of their own, started the way `make dev` starts them
// (`node --import tsx <script>` from the repository's root), with what the bench needs from each:
// its pid's CPU time (from /proc, so a process's cost per order is measured where it is spent)
// and a stop that always ends it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { onInterrupt } from './infra.ts';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux Node runs on). */
const TICKS_PER_SECOND = 100;

export interface ServiceProcess {
  name: string;
  pid: number;
  /** User + system CPU time the process has used so far, ms (10 ms resolution). */
  cpuMs(): number;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts `script` with `env` added to this process's environment; resolves once `ready(output)`
 * holds (polled every 100 ms, the output being the last 4 KB it wrote), fails after 60 s or if it
 * exits first, with its last output.
 */
export async function startService(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: (output: string) => boolean | Promise<boolean>,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const forget = onInterrupt(stop);
  const deadline = Date.now() + 60_000;
  let gone: number | null | undefined;
  void exited.then((code) => {
    gone = code;
  });
  for (;;) {
    if (gone !== undefined) throw new Error(`${name} exited (${gone}) before it was ready; its last output:\n${output}`);
    if (await ready(output)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within 60 s; its last output:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid as number;
  return {
    name,
    pid,
    cpuMs: () => cpuMsOf(pid),
    stop: async () => {
      forget();
      await stop();
    },
  };
}

/** utime + stime of a process, ms. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** A readiness check: the URL answers 2xx. */
export const answers = (url: string) => async (): Promise<boolean> => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
};

/** A readiness check: the process logged `text`. */
export const logged = (text: string) => (output: string) => output.includes(text);
