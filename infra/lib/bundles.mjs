// A service's entry point bundled into one file, the way its process is started (`make dev`, the
// test kit's process stacks, the bench's production topology): services/<svc>/.build/server.mjs.
//
// Why: on Node 20 a process that runs TypeScript through a loader sends every module it loads
// (node_modules too) through the loader's hooks on their own thread. A gateway loading its ~600
// modules that way spends about 3 s of CPU before it serves anything; from one bundle, well under
// one. A test run starts about a hundred service processes, and a person waits for five.
//
// The bundle is a cache of the sources, never edited or committed: it is rebuilt whenever a file
// it was built from (or the installed dependencies) changed since, under a lock (build-once.mjs), so
// processes started together build it once. The service's own third-party dependencies stay outside it
// (resolved from services/<svc>/node_modules at run time, which is why the bundle lives in the
// service's folder): some read files next to their own code (@fastify/swagger-ui's static assets).
// The workspace packages and their dependencies are inside. Source maps are kept, so stack traces
// name the TypeScript lines.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildOnce } from './build-once.mjs';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '../..');
/** Installing dependencies touches these, and this file says how bundles are built: a bundle older than any is rebuilt. */
const installMarks = [...['pnpm-lock.yaml', 'node_modules/.modules.yaml'].map((f) => join(root, f)), import.meta.filename];

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
};

/** Where the bundle of `entry` (services/<svc>/src/<path>.ts, relative to the repository) lives:
 * services/<svc>/.build/<path with / as ->.mjs (src/server.ts → server.mjs, src/bin/migrate.ts → bin-migrate.mjs). */
export function bundlePath(entry) {
  const [top, service, , ...rest] = entry.split('/');
  return join(root, top, service, '.build', `${rest.join('-').replace(/\.ts$/, '')}.mjs`);
}

function isCurrent(out) {
  const meta = `${out}.inputs.json`;
  if (!existsSync(out) || !existsSync(meta)) return false;
  const builtAt = mtime(out);
  const { inputs } = JSON.parse(readFileSync(meta, 'utf8'));
  return [...installMarks, ...inputs.map((i) => join(root, i))].every((f) => mtime(f) <= builtAt);
}

/**
 * Dependencies bundled in all the same. typebox (709 modules) and kysely (304) cost a process
 * about 0.8 s of CPU to load file by file and little from the bundle. Every importer of typebox is
 * inside with it (@fastify/type-provider-typebox too): one copy, one format registry.
 */
const INLINED = new Set(['typebox', 'kysely', '@fastify/type-provider-typebox']);

function build(entry, out) {
  const esbuild = require('esbuild');
  const pkg = JSON.parse(readFileSync(join(dirname(dirname(out)), 'package.json'), 'utf8'));
  const own = Object.keys(pkg.dependencies ?? {}).filter((d) => !d.startsWith('@blotter/') && !INLINED.has(d));
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    write: false,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error',
    // The service's own dependencies, and optional native add-ons loaded only if present.
    external: [...own, ...own.map((d) => `${d}/*`), 'pg-native', 'bufferutil', 'utf-8-validate'],
    // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  });
  // Each file written whole and renamed into place, the bundle last: a process never starts from a
  // half-written one, and its inputs list is there once it is.
  const put = (path, contents) => {
    writeFileSync(`${path}.${process.pid}.tmp`, contents);
    renameSync(`${path}.${process.pid}.tmp`, path);
  };
  const inputs = Object.keys(result.metafile.inputs).filter((i) => !i.startsWith('<'));
  put(`${out}.inputs.json`, JSON.stringify({ entry, inputs }));
  for (const f of result.outputFiles) if (f.path !== out) put(f.path, f.contents);
  put(out, result.outputFiles.find((f) => f.path === out).contents);
}

/** The bundle of `entry`, built first if it is missing or older than what it was built from. */
export function ensureBundle(entry) {
  const out = bundlePath(entry);
  if (isCurrent(out)) return out;
  mkdirSync(dirname(out), { recursive: true });
  buildOnce({
    lock: `${out}.lock`,
    isCurrent: () => isCurrent(out),
    build: () => build(entry, out),
    what: `the bundle of ${entry}`,
    staleMs: 120_000,
    giveUpMs: 5 * 60_000,
  });
  return out;
}
