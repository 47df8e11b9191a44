// The docs are executed: every shell block of README.md, bench/README.md and docs/*.md runs, in
// order, in one new shell per document (PATH and HOME only, the repository's root as working
// directory) while `make dev` runs in the background, started in a new shell too, exactly as the
// README says. Both run in a scratch clone whose .env names this test's own namespace, database and
// ports, so they never touch the real clone's stack nor another test file's. A README that lies
// fails here, naming the document, the block's line and what it wrote to stderr.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, infraEnv, removeNamespace, testNamespace, withAdminClient } from '@blotter/test-kit';
import t from 'tap';
import { type Block, shellBlocks } from '../src/doc-blocks.ts';
import { runnable, runSession } from '../src/doc-session.ts';
import { makeDev } from '../src/make-dev.ts';
import { repoRoot } from '../src/run.ts';
import { scratchClone } from '../src/scratch-clone.ts';

// make dev, then one shell per document, each starting ./blotter several times: more than the
// runner's default per file when the machine is shared.
t.setTimeout(720_000);

const docs = [
  'README.md',
  'bench/README.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const blocks = new Map<string, Block[]>();

t.test('every shell block says how it runs', async (t) => {
  for (const doc of docs) {
    try {
      blocks.set(doc, shellBlocks(readFileSync(join(repoRoot, doc), 'utf8')));
      t.pass(doc);
    } catch (err) {
      t.fail(`${doc}: ${(err as Error).message}`);
    }
  }
  const readme = blocks.get('README.md') ?? [];
  // The two commands the harness stands for: the stack it starts, and the run it is part of.
  t.match(
    readme.filter((b) => b.marker === 'dev').map((b) => b.code),
    [/^make dev\b/],
    'README: the dev block is make dev',
  );
  t.match(
    readme.filter((b) => b.marker === 'test').map((b) => b.code),
    [/^make test\b/],
    'README: the test block is make test',
  );
});

t.test('each document runs, block after block, in a new shell, with make dev running', async (t) => {
  const namespace = testNamespace('docs');
  const database = new URL(infraEnv('DATABASE_URL'));
  database.pathname = `/blotter_t_${namespace}`;
  const clone = scratchClone({
    NATS_URL: infraEnv('NATS_URL'),
    DATABASE_URL: database.toString(),
    BLOTTER_NAMESPACE: namespace,
    PORT: String(await freePort()),
    SIM_PORT: String(await freePort()),
    UI_PORT: String(await freePort()),
    // What make dev writes into a new clone's .env, made here because this .env already exists.
    JWT_SECRET: randomBytes(32).toString('hex'),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SIM_ADMIN_TOKEN: randomBytes(16).toString('hex'),
  });
  t.teardown(clone.remove);
  // make up creates the database and the streams; they go when the test ends.
  t.teardown(async () => {
    await removeNamespace(namespace);
    await withAdminClient(database.toString(), (c) => c.query(`drop database if exists ${database.pathname.slice(1)} with (force)`));
  });
  const started = Date.now();
  const dev = makeDev(clone.root, 240_000);
  t.teardown(dev.stop);
  await dev.ready;
  const services = /Blotter is up in ([\d.]+ s)/.exec(dev.output())?.[1];
  t.pass(`make dev: Blotter is up, ${((Date.now() - started) / 1000).toFixed(1)} s after it was typed (the services: ${services})`);

  // The documents share nothing but the stack, so their shells run side by side.
  // DOCS_ONLY=README.md runs one document while it is being written.
  const chosen = docs.filter((d) => !process.env.DOCS_ONLY || d === process.env.DOCS_ONLY);
  const sessions = new Map(
    chosen.map((doc) => {
      const toRun = runnable(blocks.get(doc) ?? []);
      return [doc, { toRun, result: toRun.length > 0 ? runSession(clone.root, toRun, 420_000) : null }] as const;
    }),
  );
  for (const [doc, { toRun, result }] of sessions) {
    if (!result) continue;
    await t.test(doc, async (t) => {
      const r = await result;
      if (r.exit === 0 && !r.failed) {
        t.pass(`${doc}: ${toRun.length} blocks ran (line: seconds ${r.blocks.map((b) => `${b.line}: ${b.seconds}`).join(', ')})`);
        return;
      }
      const at = r.failed;
      const what = r.timedOut ? 'did not end within 420 s' : `exited ${r.exit}`;
      t.fail(at ? `${doc}:${at.line}: the block ${what}` : `${doc}: the shell ${what} before its first block`, {
        block: at?.code,
        stderr: at?.stderr.slice(-4000),
        stdout: at?.stdout.slice(-2000),
        seconds: r.blocks.map((b) => `${b.line}: ${b.seconds}`).join(', '),
      });
    });
  }
});
