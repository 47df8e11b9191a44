// Two clones on one machine never share a database by accident: each is named once per clone (and
// again after `rm -rf .data`, which also means a new stream), while a clone from before keeps the
// shared one its accounts and read models live in.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { cloneDatabaseName as name } from '../../../infra/lib/database.mjs';

function clone(folder: string): string {
  const parent = mkdtempSync(join(tmpdir(), 'blotter-clones-'));
  const root = join(parent, folder);
  mkdirSync(root);
  t.teardown(() => rmSync(parent, { recursive: true, force: true }));
  return root;
}

t.test('a fresh clone gets its own name, kept in .data/database-name', async (t) => {
  const root = clone('My Blotter.Copy');
  const first = name(root);
  t.match(first, /^blotter_my_blotter_copy_[0-9a-f]{6}$/);
  t.equal(name(root), first, 'stable');
  t.equal(readFileSync(join(root, '.data/database-name'), 'utf8').trim(), first);
});

t.test('two clones of the same folder name get different databases', async (t) => {
  t.not(name(clone('blotter')), name(clone('blotter')));
});

t.test('after rm -rf .data a clone gets a new database (its stream is new too)', async (t) => {
  const root = clone('blotter');
  const before = name(root);
  rmSync(join(root, '.data'), { recursive: true });
  t.not(name(root), before);
});

t.test('a clone that ran before per-clone databases keeps the shared one', async (t) => {
  for (const leftover of ['nats', 'infra.env']) {
    const root = clone('old');
    mkdirSync(join(root, '.data'));
    if (leftover === 'nats') mkdirSync(join(root, '.data/nats'));
    else writeFileSync(join(root, '.data/infra.env'), 'DATABASE_URL=postgres://postgres@127.0.0.1:5432/blotter\n');
    t.equal(name(root), 'blotter', leftover);
  }
});
