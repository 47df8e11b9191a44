// The loader's hooks (see register.mjs). They run on Node's loader thread. Transpiled files are
// cached under node_modules/.cache/blotter-ts, named by a hash of the path, the source and the
// esbuild version, so a changed file or a new esbuild is transpiled again and nothing goes stale.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
