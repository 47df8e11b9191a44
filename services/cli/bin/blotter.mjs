#!/usr/bin/env node
// The installed `blotter` command: runs the TypeScript entry through tsx (no build step), with the
// environment of the project's .env and .data/infra.env when they exist.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const env = { ...process.env };
for (const file of ['.env', '.data/infra.env']) {
  const path = join(root, file);
  if (!existsSync(path)) continue;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0 && !line.trimStart().startsWith('#')) env[line.slice(0, i).trim()] ??= line.slice(i + 1).trim();
  }
}
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const result = spawnSync(process.execPath, ['--import', tsx, join(here, '../src/main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
