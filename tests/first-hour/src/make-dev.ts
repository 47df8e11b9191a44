// `make dev` as a person runs it: in a new shell (PATH and HOME only) at the root of a clone, left
// running in the background. Ready when it prints that Blotter is up; stopped as Ctrl-C stops it,
// with SIGTERM to its whole process group (make, dev.mjs and the services it started).
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { NEW_SHELL } from './doc-session.ts';

export interface MakeDev {
  /** Resolves once `make dev` says Blotter is up; rejects, with its output, if it exits or times out first. */
  ready: Promise<void>;
  /** All it printed so far (stdout and stderr, in order of arrival). */
  output(): string;
  stop(): Promise<void>;
}

export function makeDev(cwd: string, readyTimeoutMs: number): MakeDev {
  const child = spawn('bash', ['-c', `${NEW_SHELL}\nexec make dev`], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a terminal's foreground job is: one signal reaches all of it.
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  // 'close': every process holding its output has ended, the services too.
  const closed = new Promise<void>((done) => child.on('close', () => done()));
  let ended = false;
  void closed.then(() => (ended = true));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`make dev was not up within ${readyTimeoutMs / 1000} s:\n${out.slice(-4000)}`)),
      readyTimeoutMs,
    );
    child.stdout.on('data', () => {
      if (!out.includes('Blotter is up in')) return;
      clearTimeout(timer);
      resolve();
    });
    void closed.then(() => {
      clearTimeout(timer);
      reject(new Error(`make dev ended (exit ${child.exitCode ?? child.signalCode}) before it was up:\n${out.slice(-4000)}`));
    });
  });
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {
      // The group is gone already.
    }
  };
  return {
    ready,
    output: () => out,
    async stop() {
      if (ended) return;
      signal('SIGTERM');
      // make dev gives each service 10 s to stop; past that it is stuck.
      await Promise.race([closed, sleep(20_000)]);
      if (!ended) signal('SIGKILL');
      await closed;
    },
  };
}
