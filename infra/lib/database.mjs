// Which database this clone uses on a Postgres server it shares with other clones. Read models hold
// stream sequences and the accounts hold the users of one stream, so two clones (two streams) in one
// database overwrite each other's meaning: every clone gets its own, named once and kept in
// .data/database-name. Deleting .data (a new stream) therefore also means a new, empty database.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The name, chosen on first use: `blotter_<folder>_<6 hex>`, e.g. blotter_main_3fa2c1. */
export function cloneDatabaseName(root) {
  const data = join(root, '.data');
  const file = join(data, 'database-name');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  // A clone that ran before databases were per clone keeps the shared `blotter` its accounts and
  // read models are in (its projector refuses them if they turn out to be another stream's).
  const legacy = existsSync(join(data, 'nats')) || existsSync(join(data, 'infra.env'));
  const folder =
    basename(root)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 24) || 'clone';
  const name = legacy ? 'blotter' : `blotter_${folder}_${randomBytes(3).toString('hex')}`;
  mkdirSync(data, { recursive: true });
  writeFileSync(file, `${name}\n`);
  return name;
}
