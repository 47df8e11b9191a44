// A folder that is this repository as a new shell sees it, but with settings of its own: its .env
// names its own namespace, database and ports, so `make dev` and the README's commands run verbatim
// in it and never touch the real clone's stack nor another test file's.
// What reads its own location to find the project root (./blotter, the Makefile, infra/) is
// copied, because Node resolves a symlinked script to its target. So is the UI's source: vite's dev
// server writes ui/.svelte-kit, which the test run's production build of the UI writes too. Every
// other entry, and the UI's dependencies, is a symlink.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from './run.ts';

const COPIED = new Set(['blotter', 'Makefile', 'package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'infra', 'ui']);
const LEFT_OUT = new Set(['.git', '.data', '.env', '.tap']);
/** Inside the copied UI: what its builds and runs write, and its dependencies (linked instead). */
const UI_LEFT_OUT = new Set(['ui/node_modules', 'ui/build', 'ui/.svelte-kit', 'ui/.build-lock', 'ui/test-results']);

export interface ScratchClone {
  root: string;
  remove(): void;
}

/** `settings` become the clone's .env, the file `make dev` reads. */
export function scratchClone(settings: Record<string, string>): ScratchClone {
  const root = mkdtempSync(join(tmpdir(), 'blotter-docs-'));
  for (const entry of readdirSync(repoRoot)) {
    if (LEFT_OUT.has(entry)) continue;
    const from = join(repoRoot, entry);
    // Timestamps kept: the Makefile reinstalls when a manifest is newer than node_modules' stamp.
    if (COPIED.has(entry)) {
      cpSync(from, join(root, entry), {
        recursive: true,
        preserveTimestamps: true,
        filter: (src) => !UI_LEFT_OUT.has(relative(repoRoot, src)),
      });
    } else symlinkSync(from, join(root, entry));
  }
  symlinkSync(join(repoRoot, 'ui/node_modules'), join(root, 'ui/node_modules'));
  mkdirSync(join(root, '.data'));
  // pnpm and nats-server as `make up` fetched them for this machine.
  symlinkSync(join(repoRoot, '.data/tools'), join(root, '.data/tools'));
  const env = Object.entries(settings).map(([k, v]) => `${k}=${v}\n`);
  writeFileSync(join(root, '.env'), env.join(''), { mode: 0o600 });
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
