// `pnpm --filter @blotter/schemas run snapshot`: records every published schema version in
// schemas/snapshots/ (commit the result). It refuses to record a breaking change over an existing
// snapshot, since that would silently move the goalposts of the compatibility test; a deliberate
// break (nothing stored or deployed reads that version yet) needs --accept-breaking.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
let written = 0;
for (const s of current) {
  const file = join(dir, snapshotFileName(s));
  const text = `${JSON.stringify(s.schema, null, 2)}\n`;
  let before: string | null = null;
  try {
    before = readFileSync(file, 'utf8');
  } catch {}
  if (before === text) continue;
  writeFileSync(file, text);
  written++;
  process.stdout.write(`${before === null ? 'added  ' : 'updated'} ${file}\n`);
}
process.stdout.write(`${current.length} schema versions, ${written} snapshot(s) written to ${dir}\n`);
