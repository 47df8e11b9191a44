#!/usr/bin/env node
// Brings Blotter's infrastructure up and down: `node infra/bin/infra.mjs up|down|status|tools`.
//
// Resolution order (the same for `make dev`, `make test` and CI):
//   NATS      1. NATS_URL (or nats://127.0.0.1:4222) when it answers as nats-server >= 2.11 with JetStream
//             2. the private server this script started earlier (pid file under .data/run), same rule
//             3. a new private server from a nats-server >= 2.11 binary: .data/tools, then PATH, else
//                Debian's nats-server package, pinned by version and sha256, fetched with
//                `apt-get download` into .data/tools (nothing is installed system-wide; the package is kept
//                in ~/.cache/blotter for the next clone); it takes 4222
//                if free, else the next free port
//             Why 2.11: each user's events are guarded by one optimistic-concurrency check over all of
//             that user's subjects (Nats-Expected-Last-Subject-Sequence-Subject, docs/ARCHITECTURE.md).
//             2.10 does not know that header and, worse, may skip the expected-sequence check when it
//             sees it, storing a stale write: no older server may ever be used.
//   Postgres  1. DATABASE_URL (or postgres://postgres@127.0.0.1:5432/<this clone's database>, see
//                infra/lib/database.mjs) when reachable; the database is created if missing
//             2. the private cluster under .data/pg started earlier
//             3. a new private cluster from /usr/lib/postgresql/*/bin (initdb + pg_ctl) on a free port
// The resolved URLs are written to .data/infra.env, which the Makefile loads for every target.
// `down` stops only what `up` started, never a server that was merely reused.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloneDatabaseName } from '../lib/database.mjs';
import { readEnvFile } from '../lib/env.mjs';
import { eventually, natsInfo } from '../lib/procs.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const data = join(root, '.data');
const run = join(data, 'run');
const tools = join(data, 'tools');
const MIN_NATS = [2, 11, 0];
const MIN_NATS_TEXT = MIN_NATS.join('.');
// The package `make up` fetches when no suitable server is at hand: one exact build, checked by its
// sha256 before it is unpacked. Debian testing (forky) carries it now; unstable (sid) usually keeps
// it for a while after testing moves on, so both are asked for this exact version.
const NATS_DEB = {
  version: '2.15.1-1',
  sha256: '31ef4ceaa84e8248d449e508472e3770c17c3695cb5cb0ee96e03912724ea884',
  sources: ['deb http://deb.debian.org/debian forky main', 'deb http://deb.debian.org/debian sid main'],
};
// What the user asked for: the caller's environment, then .env (infra.env is our output, not input).
const given = { ...readEnvFile(join(root, '.env')), ...process.env };

const log = (msg) => process.stderr.write(`[infra] ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`[infra] ${msg}\n`);
  process.exit(1);
};

const versionAtLeast = (v, min) => {
  const parts = String(v).replace(/^v/, '').split(/[.-]/).map(Number);
  for (let i = 0; i < min.length; i++) {
    if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) > min[i];
  }
  return true;
};

const portFree = (port) =>
  new Promise((done) => {
    const srv = net.createServer();
    srv.once('error', () => done(false));
    srv.listen({ port, host: '127.0.0.1' }, () => srv.close(() => done(true)));
  });

async function firstFreePort(preferred, fallbackFrom) {
  if (await portFree(preferred)) return preferred;
  for (let p = fallbackFrom; p < fallbackFrom + 100; p++) if (await portFree(p)) return p;
  fail(`no free port near ${fallbackFrom}`);
}

const pidAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function readState(name) {
  const file = join(run, `${name}.json`);
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, 'utf8'));
  return pidAlive(state.pid) ? state : null;
}

const writeState = (name, state) => {
  mkdirSync(run, { recursive: true });
  writeFileSync(join(run, `${name}.json`), JSON.stringify(state, null, 2));
};

// Polling is the shared eventually() (infra/lib/procs.mjs); a timeout ends `make up` with one line.
const waitUp = (what, probe, timeoutMs = 20000) =>
  eventually(probe, timeoutMs, what, 150).catch(() => fail(`${what} did not come up within ${timeoutMs / 1000}s`));

function binaryVersion(bin) {
  try {
    const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.match(/v?(\d+\.\d+\.\d+)/)?.[1] ?? null;
  } catch {
    return null;
  }
}

const which = (cmd) => {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return null;
};

/** Finds or fetches a nats-server >= 2.11 binary; see the resolution order above. */
function natsBinary() {
  const local = join(tools, 'nats-server/usr/sbin/nats-server');
  for (const bin of [local, which('nats-server')]) {
    if (bin && existsSync(bin)) {
      const v = binaryVersion(bin);
      if (v && versionAtLeast(v, MIN_NATS)) return bin;
    }
  }
  if (!which('apt-get') || !which('dpkg')) {
    fail(`Blotter needs nats-server >= ${MIN_NATS_TEXT} on PATH: install it from https://github.com/nats-io/nats-server/releases`);
  }
  // The package is kept in the user's cache once fetched (checked by sha256 like a download), so
  // a second clone on this machine unpacks it instead of fetching Debian's package lists again.
  const cached = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'blotter', `nats-server_${NATS_DEB.version}.deb`);
  const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const unpack = (deb) => {
    rmSync(join(tools, 'nats-server'), { recursive: true, force: true });
    execFileSync('dpkg', ['-x', deb, join(tools, 'nats-server')]);
  };
  if (existsSync(cached) && sha256(cached) === NATS_DEB.sha256) {
    unpack(cached);
    const v = binaryVersion(local);
    if (v && versionAtLeast(v, MIN_NATS)) return local;
  }
  log(`fetching nats-server ${NATS_DEB.version} from Debian into .data/tools (apt-get download, no system install)`);
  const apt = join(tools, 'apt');
  rmSync(apt, { recursive: true, force: true });
  mkdirSync(join(apt, 'lists/partial'), { recursive: true });
  writeFileSync(join(apt, 'sources.list'), `${NATS_DEB.sources.join('\n')}\n`);
  const aptOpts = [
    '-o',
    `Dir::Etc::SourceList=${join(apt, 'sources.list')}`,
    '-o',
    'Dir::Etc::SourceParts=/dev/null',
    '-o',
    `Dir::State::Lists=${join(apt, 'lists')}`,
    '-o',
    'APT::Sandbox::User=root',
  ];
  try {
    execFileSync('apt-get', [...aptOpts, 'update'], { stdio: 'ignore' });
    execFileSync('apt-get', [...aptOpts, 'download', `nats-server=${NATS_DEB.version}`], { cwd: apt, stdio: 'ignore' });
    const deb = readdirSync(apt).find((f) => f.startsWith('nats-server_') && f.endsWith('.deb'));
    if (!deb) throw new Error('no .deb downloaded');
    const sum = sha256(join(apt, deb));
    if (sum !== NATS_DEB.sha256) throw new Error(`${deb} has sha256 ${sum}, expected ${NATS_DEB.sha256}`);
    unpack(join(apt, deb));
    try {
      mkdirSync(dirname(cached), { recursive: true });
      copyFileSync(join(apt, deb), cached);
    } catch {
      // A cache that cannot be written only means the next clone fetches again.
    }
  } catch (err) {
    fail(`could not fetch nats-server ${NATS_DEB.version} (${err.message}); install nats-server >= ${MIN_NATS_TEXT} and put it on PATH`);
  }
  const v = binaryVersion(local);
  if (!v || !versionAtLeast(v, MIN_NATS)) fail(`fetched nats-server is ${v}, need >= ${MIN_NATS_TEXT}`);
  return local;
}

async function upNats() {
  const candidate = given.NATS_URL || 'nats://127.0.0.1:4222';
  const info = await natsInfo(candidate);
  if (info?.jetstream && versionAtLeast(info.version, MIN_NATS)) {
    log(`NATS: reusing ${candidate} (nats-server ${info.version})`);
    return candidate;
  }
  if (info)
    log(
      `NATS: ${candidate} is nats-server ${info.version}${info.jetstream ? '' : ' without JetStream'}; need >= ${MIN_NATS_TEXT}, using a private one`,
    );
  const mine = readState('nats');
  const mineInfo = mine && (await natsInfo(mine.url, 1500));
  if (mine && mineInfo && !versionAtLeast(mineInfo.version, MIN_NATS)) {
    // A private server an older checkout started: replace it (its store directory stays).
    log(`NATS: stopping the private nats-server ${mineInfo.version} (pid ${mine.pid}); need >= ${MIN_NATS_TEXT}`);
    process.kill(mine.pid, 'SIGTERM');
    await waitUp('nats-server shutdown', () => !pidAlive(mine.pid));
  } else if (mine && mineInfo) {
    log(`NATS: reusing private server ${mine.url} (pid ${mine.pid})`);
    return mine.url;
  }
  const bin = natsBinary();
  const port = await firstFreePort(4222, 4223);
  const url = `nats://127.0.0.1:${port}`;
  const store = join(data, 'nats');
  mkdirSync(store, { recursive: true });
  const child = spawn(
    bin,
    [
      '-c',
      join(root, 'infra/nats/nats-server.conf'),
      '-a',
      '127.0.0.1',
      '-p',
      String(port),
      '-js',
      '-sd',
      store,
      '-l',
      join(data, 'nats.log'),
    ],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  await waitUp('nats-server', async () => Boolean(await natsInfo(url, 500)));
  writeState('nats', { pid: child.pid, url, bin });
  log(`NATS: started private nats-server ${binaryVersion(bin)} on ${url} (pid ${child.pid})`);
  return url;
}

async function pgReachable(url) {
  let pg;
  try {
    pg = (await import('pg')).default;
  } catch {
    fail('run `make install` first (the pg package is needed to probe Postgres)');
  }
  const admin = new URL(url);
  const dbName = admin.pathname.slice(1) || 'blotter';
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [dbName]);
    if (!rowCount) await client.query(`create database "${dbName.replaceAll('"', '""')}"`);
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function pgBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin/initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

/** initdb and postgres refuse to run as root; run them as the postgres (or nobody) account instead. */
function asServiceUser(cmd, args) {
  if (process.getuid?.() !== 0) return [cmd, args];
  let user = 'nobody';
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
    user = 'postgres';
  } catch {}
  return ['runuser', ['-u', user, '--', cmd, ...args]];
}

async function upPostgres(dbName) {
  const candidate = given.DATABASE_URL || `postgres://postgres@127.0.0.1:5432/${dbName}`;
  if (await pgReachable(candidate)) {
    log(`Postgres: reusing ${candidate.replace(/:[^:@/]*@/, ':***@')}`);
    return candidate;
  }
  const mine = readState('postgres');
  if (mine && (await pgReachable(mine.url))) {
    log(`Postgres: reusing private cluster ${mine.url}`);
    return mine.url;
  }
  const bin = pgBinDir();
  if (!bin) fail('Blotter needs PostgreSQL >= 14: install it (apt-get install postgresql) or set DATABASE_URL');
  const dir = join(data, 'pg');
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true });
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', asServiceUser('x', [])[1][1], dir]);
    const [c, a] = asServiceUser(join(bin, 'initdb'), ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    execFileSync(c, a, { stdio: 'ignore' });
  }
  const port = await firstFreePort(5432, 5433);
  const [c, a] = asServiceUser(join(bin, 'pg_ctl'), [
    '-D',
    dir,
    '-l',
    join(dir, 'server.log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  execFileSync(c, a, { stdio: 'ignore' });
  const url = `postgres://postgres@127.0.0.1:${port}/${dbName}`;
  await waitUp('postgres', () => pgReachable(url));
  const pid = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  writeState('postgres', { pid, url, dir, bin });
  log(`Postgres: started private cluster on ${url} (pid ${pid})`);
  return url;
}

async function up() {
  mkdirSync(run, { recursive: true });
  // Named before anything is started: a first run must not mistake its own new files for an old clone's.
  const dbName = cloneDatabaseName(root);
  const natsUrl = await upNats();
  const databaseUrl = await upPostgres(dbName);
  writeFileSync(join(data, 'infra.env'), `NATS_URL=${natsUrl}\nDATABASE_URL=${databaseUrl}\n`);
}

async function down() {
  const nats = readState('nats');
  if (nats) {
    process.kill(nats.pid, 'SIGTERM');
    await waitUp('nats-server shutdown', () => !pidAlive(nats.pid));
    log(`NATS: stopped private server (pid ${nats.pid})`);
  }
  const pgState = readState('postgres');
  if (pgState) {
    const [c, a] = asServiceUser(join(pgState.bin, 'pg_ctl'), ['-D', pgState.dir, '-m', 'fast', 'stop']);
    execFileSync(c, a, { stdio: 'ignore' });
    log(`Postgres: stopped private cluster (pid ${pgState.pid})`);
  }
  for (const name of ['nats', 'postgres']) rmSync(join(run, `${name}.json`), { force: true });
  rmSync(join(data, 'infra.env'), { force: true });
  if (!nats && !pgState) log('nothing to stop: no private server was started by `make up`');
}

const commands = {
  up,
  down,
  tools: async () => log(`nats-server: ${natsBinary()}`),
  status: async () => {
    for (const name of ['nats', 'postgres']) log(`${name}: ${JSON.stringify(readState(name) ?? 'not started by blotter')}`);
  },
};
const cmd = commands[process.argv[2]];
if (!cmd) fail(`usage: infra.mjs ${Object.keys(commands).join('|')}`);
await cmd();
