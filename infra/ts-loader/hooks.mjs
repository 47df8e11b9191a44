// The loader's hooks (see register.mjs). They run on Node's loader thread. Transpiled files are
// cached under node_modules/.cache/blotter-ts, named by a hash of the path, the source and the
// esbuild version, so a changed file or a new esbuild is transpiled again and nothing goes stale.
//
// Packages published as hundreds of small ES modules are loaded from one bundle each (see
// `resolve` below).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = join(here, 'node_modules/.cache/blotter-ts');
const { version: esbuildVersion } = require('esbuild/package.json');

/** esbuild, loaded on the first cache miss only: it starts a child process. */
let esbuild;

function transpile(path, source) {
  esbuild ??= require('esbuild');
  return esbuild.transformSync(source, {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: path,
  }).code;
}

function cached(path, source) {
  const key = createHash('sha1').update(`${esbuildVersion}\0${path}\0`).update(source).digest('hex');
  const file = join(cacheDir, `${key}.mjs`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const code = transpile(path, source);
    // Written whole, then renamed: processes starting together never read half a file.
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
    return code;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  return { format: 'module', source: cached(path, readFileSync(path, 'utf8')), shortCircuit: true };
}

// Every module a process loads costs a round trip to this thread, and two dependencies are made of
// hundreds of small files: typebox 1.x (709 modules: about 1.7 s of CPU per process through the
// hooks, 0.3 s as one bundle) and kysely (304 modules: ~0.6 s more than as a bundle). Each is
// served from a bundle of its own entry points (esbuild, split into shared chunks), built once per
// installed version and cached beside the transpiled files. Every import of the package, from any
// importer, resolves into the same bundle, so there is still one copy of each of its modules.
const SPLIT_PACKAGES = ['typebox', 'kysely'];
/** package root → (entry file → bundled entry file) */
const bundled = new Map();

const packageOf = (specifier) => SPLIT_PACKAGES.find((name) => specifier === name || specifier.startsWith(`${name}/`)) ?? null;

/** The files a package's `exports` name for `import` (conditions other than types), absolute. */
function entryFiles(root, exports) {
  const files = new Set();
  const visit = (value) => {
    if (typeof value === 'string') {
      if (/\.m?js$/.test(value)) files.add(resolvePath(root, value));
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) if (!key.startsWith('types')) visit(inner);
    }
  };
  visit(exports);
  return [...files];
}

function bundleOf(name, root) {
  const known = bundled.get(root);
  if (known) return known;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const key = createHash('sha1').update(`${esbuildVersion}\0${root}\0${pkg.version}`).digest('hex').slice(0, 16);
  const dir = join(cacheDir, `${name}-${pkg.version}-${key}`);
  const manifest = join(dir, 'entries.json');
  if (!existsSync(manifest)) {
    const entries = entryFiles(root, pkg.exports ?? pkg.main ?? 'index.js');
    const names = Object.fromEntries(entries.map((file, i) => [`entry${i}`, file]));
    // Built in a directory of its own, then renamed into place: processes starting together may
    // each build it, and whichever rename comes first is the one everybody uses.
    const partial = `${dir}.${process.pid}.tmp`;
    esbuild ??= require('esbuild');
    esbuild.buildSync({
      entryPoints: names,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir: partial,
      outExtension: { '.js': '.mjs' },
      logLevel: 'error',
    });
    writeFileSync(join(partial, 'entries.json'), JSON.stringify(Object.fromEntries(entries.map((file, i) => [file, `entry${i}.mjs`]))));
    try {
      renameSync(partial, dir);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  const entries = new Map(Object.entries(JSON.parse(readFileSync(manifest, 'utf8'))).map(([file, out]) => [file, join(dir, out)]));
  bundled.set(root, entries);
  return entries;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const name = packageOf(specifier);
  if (!name || !resolved.url.startsWith('file:')) return resolved;
  const file = fileURLToPath(resolved.url);
  const at = file.lastIndexOf(`/node_modules/${name}/`);
  if (at < 0) return resolved;
  const entry = bundleOf(name, file.slice(0, at + `/node_modules/${name}`.length)).get(file);
  // An entry the bundle does not have (a file no export names) loads as published.
  return entry ? { ...resolved, url: pathToFileURL(entry).href, format: 'module' } : resolved;
}
