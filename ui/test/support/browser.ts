// Shared by the browser tests: the UI's production build and Debian's Chromium driven by
// playwright-core (the UI server itself is the kit's `uiServer`). Missing pieces are provided rather than skipped: Chromium is installed with
// apt-get, and the UI is (re)built when the build is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnce } from '@blotter/test-kit';
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

function buildIsCurrent(): boolean {
  const inputs = BUILD_INPUTS.map((p) => join(UI_DIR, p)).filter(existsSync);
  const sourceTime = Math.max(...inputs.map(newestMtime));
  return existsSync(BUILD_ENTRY) && statSync(BUILD_ENTRY).mtimeMs >= sourceTime;
}

/**
 * Builds the UI when build/ is missing or older than its sources (its own and the workspace
 * packages it bundles), once among the browser test files running in parallel.
 */
export function ensureBuild(): void {
  buildOnce({
    lock: LOCK,
    isCurrent: buildIsCurrent,
    build: () => {
      // vite reads .svelte-kit/tsconfig.json, which `svelte-kit sync` writes (a fresh clone has none and warns).
      if (!existsSync(join(UI_DIR, '.svelte-kit/tsconfig.json'))) {
        execFileSync(process.execPath, [join(UI_DIR, 'node_modules/@sveltejs/kit/svelte-kit.js'), 'sync'], {
          cwd: UI_DIR,
          stdio: 'inherit',
        });
      }
      execFileSync(join(UI_DIR, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: UI_DIR, stdio: 'inherit' });
    },
    what: 'the UI',
    staleMs: 5 * 60_000,
    giveUpMs: 10 * 60_000,
  });
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
