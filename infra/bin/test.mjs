#!/usr/bin/env node
// `make test`: every test suite in one tap run (unit, integration against the real NATS and
// Postgres that `make up` resolved, end-to-end in a real browser), then the one summary line CI
// and people read: `N passed, N failed`.
//
// Tiers are in the file names: *.test.ts unit, *.int.test.ts integration, *.e2e.test.ts whole
// system. Long suites live behind their own targets and are excluded here:
// *.faults.test.ts (`make test-faults`), *.soak.test.ts (`make soak`).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const roots = ['schemas', 'services', 'ui', 'tests'];
const skipDirs = new Set(['node_modules', '.svelte-kit', 'build', 'dist', '.tap']);
const longSuites = /\.(faults|soak)\.test\.ts$/;
const only = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (skipDirs.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (path.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

let files = roots.flatMap((r) => {
  try {
    return walk(join(root, r), []);
  } catch {
    return [];
  }
});
files = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files.filter((f) => !longSuites.test(f));
files.sort();
process.stderr.write(`[test] ${files.length} test files\n`);

const tap = spawn(join(root, 'node_modules/.bin/tap'), ['-R', 'base', '--no-color', ...files], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let tail = '';
tap.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
tap.on('close', (code) => {
  const summary = [...tail.matchAll(/# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?[^}]*\}/g)].at(-1);
  const passed = Number(summary?.[2] ?? 0);
  // A file that crashed or timed out may fail the run without a failing assertion: still a failure.
  const failed = Math.max(Number(summary?.[3] ?? 0), code === 0 ? 0 : 1);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exit(code ?? 1);
});
