// The docs are executed: every shell block of README.md, bench/README.md and docs/*.md runs, in
// order, in one new shell per document (PATH and HOME only, the repository's root as working
// directory) against a stack started the way `make dev` starts it (every service its own process).
// The shell sees that stack through a scratch clone whose .env and .data/infra.env name it, so the
// commands run verbatim and reach this test's own namespace and database, never the clone's real
// stack nor another test file's. A README that lies fails here, naming the document, the block's
// line and what it wrote to stderr.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startStack } from '@blotter/test-kit';
import t from 'tap';
import { type Block, shellBlocks } from '../src/doc-blocks.ts';
import { runnable, runSession } from '../src/doc-session.ts';
import { repoRoot } from '../src/run.ts';
import { scratchClone } from '../src/scratch-clone.ts';

// A stack of processes, then one shell per document, each starting ./blotter several times: more
// than the runner's default per file when the machine is shared.
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

t.test('each document runs, block after block, in a new shell', async (t) => {
  const stack = await startStack(t, { processes: true, partitions: 4 });
  const port = (url: string) => new URL(url).port;
  const clone = scratchClone(
    {
      NATS_URL: stack.natsUrl,
      DATABASE_URL: stack.databaseUrl,
      BLOTTER_NAMESPACE: stack.namespace,
      PORT: port(stack.url),
      SIM_PORT: port(stack.simUrl),
      UI_PORT: String(await freePort()),
      ...stack.secrets,
    },
    stack.databaseName,
  );
  t.teardown(clone.remove);
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
