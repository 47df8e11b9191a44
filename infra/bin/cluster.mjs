#!/usr/bin/env node
// A 3-node NATS 2.10 cluster on loopback, for running Blotter on R3 streams on one machine:
// `node infra/bin/cluster.mjs up|down|status` (`make cluster` / `make cluster-down`).
//
//   - the nats-server binary is the one `make up` resolves (infra/bin/infra.mjs tools: .data/tools,
//     PATH, else fetched from Debian into .data/tools);
//   - each node reads infra/nats/cluster/node-N.conf (client 425N, routes 625N, monitoring 825N); a
//     port that is taken is replaced by a free one on the command line for every node;
//   - JetStream stores live in .data/cluster/node-N (kept by `down`, so streams survive a restart),
//     logs in .data/cluster/node-N.log, pids in .data/run/cluster.json;
//   - the client URLs go to .data/cluster.env with STREAM_REPLICAS=3, for any command to source:
//       set -a; . ./.data/cluster.env; set +a; node --import @blotter/ts-loader/register services/gateway/src/server.ts
//     (`make cluster` then creates the streams there with 3 replicas). `make up`/`make dev` keep using
//     .data/infra.env; put NATS_URL=nats://127.0.0.1:4251 and STREAM_REPLICAS=3 in .env to run the
//     whole dev stack on the cluster instead (one seed URL is enough: clients learn the other nodes).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const data = join(root, '.data');
const run = join(data, 'run');
const stateFile = join(run, 'cluster.json');
const envFile = join(data, 'cluster.env');
const confDir = join(root, 'infra/nats/cluster');
const NODES = [1, 2, 3];
const REPLICAS = 3;

const log = (msg) => process.stderr.write(`[cluster] ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`[cluster] ${msg}\n`);
  process.exit(1);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const pidAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const portFree = (port) =>
  new Promise((done) => {
    const srv = net.createServer();
    srv.once('error', () => done(false));
    srv.listen({ port, host: '127.0.0.1' }, () => srv.close(() => done(true)));
  });

const anyFreePort = () =>
  new Promise((done, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = srv.address();
      srv.close(() => done(port));
    });
  });

/** The binary `make up` uses, found (or fetched) by infra.mjs itself so the rules live in one place. */
function binaryPath() {
  const res = spawnSync(process.execPath, [join(root, 'infra/bin/infra.mjs'), 'tools'], { encoding: 'utf8' });
  const bin = res.stderr.match(/nats-server: (\S+)/)?.[1];
  if (res.status !== 0 || !bin) fail(`could not resolve nats-server: ${res.stderr.trim()}`);
  return bin;
}

/** Node readiness: /healthz answers 200 once JetStream is up and the meta leader is known. */
async function healthy(monitorPort) {
  try {
    const res = await fetch(`http://127.0.0.1:${monitorPort}/healthz`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function readState() {
  if (!existsSync(stateFile)) return null;
  return JSON.parse(readFileSync(stateFile, 'utf8'));
}

const clientUrls = (nodes) => nodes.map((n) => `nats://127.0.0.1:${n.client}`).join(',');

function writeEnv(nodes) {
  writeFileSync(envFile, `NATS_URL=${clientUrls(nodes)}\nSTREAM_REPLICAS=${REPLICAS}\n`);
}

async function waitHealthy(nodes, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await Promise.all(nodes.map((n) => healthy(n.monitor)));
    if (ok.every(Boolean)) return;
    for (const n of nodes) if (!pidAlive(n.pid)) fail(`node ${n.name} exited; see ${n.log}`);
    await sleep(200);
  }
  fail(`the cluster did not become healthy within ${timeoutMs / 1000}s; logs: ${nodes.map((n) => n.log).join(' ')}`);
}

/** Default ports from node-N.conf, or free ones for every node when any default is taken. */
async function choosePorts() {
  const defaults = NODES.map((i) => ({ client: 4250 + i, cluster: 6250 + i, monitor: 8250 + i }));
  const all = defaults.flatMap((d) => [d.client, d.cluster, d.monitor]);
  const free = await Promise.all(all.map(portFree));
  if (free.every(Boolean)) return { ports: defaults, override: false };
  const ports = [];
  for (const _ of NODES) ports.push({ client: await anyFreePort(), cluster: await anyFreePort(), monitor: await anyFreePort() });
  return { ports, override: true };
}

async function up() {
  const state = readState();
  if (state?.nodes.every((n) => pidAlive(n.pid))) {
    await waitHealthy(state.nodes);
    writeEnv(state.nodes);
    log(`reusing the running cluster: ${clientUrls(state.nodes)}`);
    return;
  }
  if (state) {
    // Some node died: stop the rest and start all three again on the same stores.
    for (const n of state.nodes) if (pidAlive(n.pid)) process.kill(n.pid, 'SIGTERM');
    await sleep(500);
  }
  const bin = binaryPath();
  const { ports, override } = await choosePorts();
  if (override) log('a default port (425x/625x/825x) is taken: using free ports instead');
  const nodes = NODES.map((i, k) => ({
    name: `blotter-n${i}`,
    conf: join(confDir, `node-${i}.conf`),
    store: join(data, 'cluster', `node-${i}`),
    log: join(data, 'cluster', `node-${i}.log`),
    ...ports[k],
  }));
  for (const n of nodes) {
    mkdirSync(n.store, { recursive: true });
    const args = ['-c', n.conf, '-sd', n.store, '-l', n.log];
    if (override) {
      const routes = nodes.filter((o) => o !== n).map((o) => `nats-route://127.0.0.1:${o.cluster}`);
      args.push('-a', '127.0.0.1', '-p', String(n.client), '-m', String(n.monitor));
      args.push('--cluster', `nats://127.0.0.1:${n.cluster}`, '--routes', routes.join(','));
    }
    const child = spawn(bin, args, { detached: true, stdio: 'ignore', cwd: confDir });
    child.unref();
    n.pid = child.pid;
  }
  mkdirSync(run, { recursive: true });
  writeFileSync(stateFile, JSON.stringify({ bin, nodes }, null, 2));
  await waitHealthy(nodes);
  writeEnv(nodes);
  log(`started 3 nodes (${nodes.map((n) => `${n.name} pid ${n.pid}`).join(', ')})`);
  log(`NATS_URL=${clientUrls(nodes)} STREAM_REPLICAS=${REPLICAS} written to .data/cluster.env`);
}

async function down() {
  const state = readState();
  if (!state) {
    log('nothing to stop: `make cluster` has not started a cluster');
    rmSync(envFile, { force: true });
    return;
  }
  for (const n of state.nodes) if (pidAlive(n.pid)) process.kill(n.pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (state.nodes.some((n) => pidAlive(n.pid)) && Date.now() < deadline) await sleep(150);
  for (const n of state.nodes) if (pidAlive(n.pid)) process.kill(n.pid, 'SIGKILL');
  rmSync(stateFile, { force: true });
  rmSync(envFile, { force: true });
  log(`stopped ${state.nodes.map((n) => `${n.name} (pid ${n.pid})`).join(', ')}; stores kept in .data/cluster`);
}

async function status() {
  const state = readState();
  if (!state) return log('not running');
  for (const n of state.nodes) {
    log(
      `${n.name}: pid ${n.pid} ${pidAlive(n.pid) ? 'alive' : 'dead'}, ${(await healthy(n.monitor)) ? 'healthy' : 'not healthy'}, nats://127.0.0.1:${n.client}`,
    );
  }
}

const commands = { up, down, status };
const cmd = commands[process.argv[2]];
if (!cmd) fail(`usage: cluster.mjs ${Object.keys(commands).join('|')}`);
await cmd();
