// Shared by the browser tests: a built UI server on a free port and Debian's Chromium driven by
// playwright-core. Missing pieces are provided rather than skipped: Chromium is installed with
// apt-get, and the UI is (re)built when the build is missing or older than its sources.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

export const UI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_DIR = resolve(UI_DIR, '..');
export const SCREENSHOTS = join(REPO_DIR, 'artifacts/screenshots');
export const CHROMIUM = '/usr/bin/chromium';
const BUILD_ENTRY = join(UI_DIR, 'build/index.js');

export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
  } catch {
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
  }
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

const BUILD_INPUTS = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json', '../schemas/src', '../services/orders/src'];
const LOCK = join(UI_DIR, '.build-lock');
const STALE_LOCK_MS = 5 * 60_000;

function buildIsCurrent(): boolean {
  const inputs = BUILD_INPUTS.map((p) => join(UI_DIR, p)).filter(existsSync);
  const sourceTime = Math.max(...inputs.map(newestMtime));
  return existsSync(BUILD_ENTRY) && statSync(BUILD_ENTRY).mtimeMs >= sourceTime;
}

/**
 * Builds the UI when build/ is missing or older than its sources (its own and the workspace
 * packages it bundles). Browser test files run in parallel: a lock directory (mkdir is atomic)
 * lets one build while the others wait and then find the build current.
 */
export function ensureBuild(): void {
  const waitUntil = Date.now() + 10 * 60_000;
  for (;;) {
    if (buildIsCurrent()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > waitUntil) throw new Error('timed out waiting for another test to build the UI');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      continue;
    }
    try {
      if (!buildIsCurrent()) {
        execFileSync(join(UI_DIR, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: UI_DIR, stdio: 'inherit' });
      }
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface UiServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `node build/index.js` and waits until it answers. */
export async function startUi(env: Record<string, string>): Promise<UiServer> {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [BUILD_ENTRY], {
    cwd: UI_DIR,
    // adapter-node assumes https unless ORIGIN says otherwise (form actions compare origins).
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  // If the test process dies without its teardown (a tap timeout), the server goes with it.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`UI server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/login`, { redirect: 'manual' });
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`UI server did not answer within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise((done) => {
        process.removeListener('exit', kill);
        if (child.exitCode !== null || child.signalCode !== null) return done();
        // adapter-node waits for open connections; a browser may still hold one.
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}
