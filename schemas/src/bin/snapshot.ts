// `pnpm --filter @blotter/schemas run snapshot`: records every published schema version in
// schemas/snapshots/ (commit the result). It refuses to record a breaking change over an existing
// snapshot, since that would silently move the goalposts of the compatibility test; a deliberate
// break (nothing stored or deployed reads that version yet) needs --accept-breaking.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareWithSnapshots } from '../compat.ts';
import { currentSchemas, readSnapshots, SNAPSHOT_DIR, snapshotFileName } from '../snapshot-files.ts';

const { values } = parseArgs({ options: { 'accept-breaking': { type: 'boolean' }, dir: { type: 'string' } } });
const dir = values.dir ?? SNAPSHOT_DIR;

const current = currentSchemas();
const { breaking } = compareWithSnapshots(readSnapshots(dir), current);
if (breaking.length > 0 && !values['accept-breaking']) {
  process.stderr.write(`refusing to record breaking changes (add a new event version with an upcaster instead):\n`);
  for (const line of breaking) process.stderr.write(`  ${line}\n`);
  process.exit(1);
}

mkdirSync(dir, { recursive: true });
const written: string[] = [];
for (const s of current) {
  const file = join(dir, snapshotFileName(s));
  const text = JSON.stringify(s.schema);
  const before = existsSync(file) ? JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))) : null;
  if (before === text) continue;
  writeFileSync(file, `${JSON.stringify(s.schema, null, 2)}\n`);
  written.push(file);
  process.stdout.write(`${before === null ? 'added  ' : 'updated'} ${file}\n`);
}
// Formatted like every other file in the repository, so `make lint` stays clean.
const biome = join(dirname(fileURLToPath(import.meta.url)), '../../../node_modules/.bin/biome');
if (written.length > 0 && existsSync(biome)) execFileSync(biome, ['format', '--write', ...written], { stdio: 'ignore' });
process.stdout.write(`${current.length} schema versions, ${written.length} snapshot(s) written to ${dir}\n`);
