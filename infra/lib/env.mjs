// The project's env files, read by Node's own dotenv parser (util.parseEnv) in one place for every
// entry point (make dev, make up, ./blotter). A hand-written `split('=')` once took the inline
// comment of `.env.example` (`JWT_SECRET=   # >= 32 characters`) as the secret itself; Node's parser
// knows comments, quotes and `export` prefixes the way dotenv files are written everywhere.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import util from 'node:util';

const MIN_NODE = '20.19';

/** Throws one readable line when Node is older than the project needs (util.parseEnv is 20.12+). */
export function assertNodeVersion() {
  if (typeof util.parseEnv !== 'function') throw new Error(`Blotter needs Node >= ${MIN_NODE}; this is ${process.version}`);
}

/** The variables of one env file; {} when it does not exist. */
export function readEnvFile(path) {
  assertNodeVersion();
  return existsSync(path) ? util.parseEnv(readFileSync(path, 'utf8')) : {};
}

/**
 * The environment a process of this clone runs with. Precedence: the caller's environment, then
 * `.data/infra.env` (what `make up` resolved, so it beats the `.env` it was resolved from: a
 * NATS_URL in `.env` that did not answer was replaced there by a private server), then `.env`.
 */
export function projectEnv(root, base = process.env) {
  const fromFiles = { ...readEnvFile(join(root, '.env')), ...readEnvFile(join(root, '.data/infra.env')) };
  const given = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined));
  return { ...fromFiles, ...given };
}
