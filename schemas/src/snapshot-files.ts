// The committed snapshots of every published schema version (`schemas/snapshots/<Name>.v<N>.json`):
// what the compatibility test holds the catalog to. Written by `pnpm --filter @blotter/schemas run
// snapshot`, read by the test; never edited by hand.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CurrentSchema, VersionedSchema } from './compat.ts';
import { allVersions, plainJson } from './json-schema.ts';

export const SNAPSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '../snapshots');

const FILE = /^([A-Za-z0-9_]+)\.v([0-9]+)\.json$/;

export const snapshotFileName = (s: VersionedSchema) => `${s.name}.v${s.version}.json`;

/** Every snapshot in `dir`; a file that is not `<Name>.v<N>.json` is an error, not skipped. */
export function readSnapshots(dir = SNAPSHOT_DIR): VersionedSchema[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const m = FILE.exec(file);
      if (!m) throw new Error(`${join(dir, file)} is not named <Name>.v<version>.json`);
      return { name: m[1] as string, version: Number(m[2]), schema: JSON.parse(readFileSync(join(dir, file), 'utf8')) };
    });
}

/** Every name+version the catalog publishes now, as plain JSON; older event versions are frozen. */
export const currentSchemas = (): CurrentSchema[] =>
  allVersions().map(({ entry, version, schema }) => ({
    name: entry.name,
    version,
    schema: plainJson(schema),
    frozen: version < entry.version,
  }));
