// A folder that is this repository as a new shell sees it, but with a stack's settings of its own:
// its .env and .data/infra.env name the test's stack (own namespace, own database, own ports), so
// the README's commands run verbatim against that stack and never against the clone's real one.
// What reads its own location to find the project root (./blotter, the Makefile, infra/) is
// copied, because Node resolves a symlinked script to its target; everything else is a symlink.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './run.ts';

const COPIED = new Set(['blotter', 'Makefile', 'package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'infra']);
const LEFT_OUT = new Set(['.git', '.data', '.env', '.tap']);

export interface ScratchClone {
  root: string;
  remove(): void;
}

/** `settings` become the clone's .env; NATS_URL and DATABASE_URL also its .data/infra.env, as `make up` writes it. */
export function scratchClone(settings: Record<string, string>, databaseName: string): ScratchClone {
  const root = mkdtempSync(join(tmpdir(), 'blotter-docs-'));
  for (const entry of readdirSync(repoRoot)) {
    if (LEFT_OUT.has(entry)) continue;
    const from = join(repoRoot, entry);
    // Timestamps kept: the Makefile reinstalls when a manifest is newer than node_modules' stamp.
    if (COPIED.has(entry)) cpSync(from, join(root, entry), { recursive: true, preserveTimestamps: true });
    else symlinkSync(from, join(root, entry));
  }
  mkdirSync(join(root, '.data'));
  // pnpm and nats-server as `make up` fetched them for this machine.
  symlinkSync(join(repoRoot, '.data/tools'), join(root, '.data/tools'));
  const lines = (vars: Record<string, string>) =>
    `${Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`;
  writeFileSync(join(root, '.env'), lines(settings), { mode: 0o600 });
  writeFileSync(join(root, '.data/infra.env'), lines({ NATS_URL: settings.NATS_URL ?? '', DATABASE_URL: settings.DATABASE_URL ?? '' }));
  writeFileSync(join(root, '.data/database-name'), `${databaseName}\n`);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
