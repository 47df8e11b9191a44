// A private 3-node NATS cluster for one test file: the node configurations `make cluster` uses
// (infra/nats/cluster/node-N.conf) with free ports and a temp store per node given on the command
// line, so a node can be SIGKILLed and started again on the same ports and store.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, httpReady, Proc, repoRoot, sleep } from '@blotter/test-kit';

export function natsBinary(): string {
  const local = join(repoRoot, '.data/tools/nats-server/usr/sbin/nats-server');
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'nats-server'))) return join(dir, 'nats-server');
  throw new Error('no nats-server binary: run `make up` first (it fetches nats-server 2.10 into .data/tools)');
}

export interface ClusterNode {
  /** server_name from node-N.conf (blotter-nN). */
  name: string;
  client: number;
  cluster: number;
  monitor: number;
  proc: Proc;
}

export class NatsCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'blotter-nats-cluster-'));
  readonly nodes: ClusterNode[] = [];

  /** Comma-separated client URLs of every node (what NATS_URL holds for a cluster). */
  get url(): string {
    return this.nodes.map((n) => `nats://127.0.0.1:${n.client}`).join(',');
  }

  static async start(size = 3): Promise<NatsCluster> {
    const c = new NatsCluster();
    try {
      await c.boot(size);
    } catch (err) {
      await c.close(true);
      throw err;
    }
    return c;
  }

  private async boot(size: number): Promise<void> {
    const ports: { client: number; cluster: number; monitor: number }[] = [];
    for (let i = 0; i < size; i++) ports.push({ client: await freePort(), cluster: await freePort(), monitor: await freePort() });
    for (let i = 0; i < size; i++) {
      const p = ports[i] as (typeof ports)[number];
      const store = join(this.dir, `node-${i + 1}`);
      mkdirSync(store, { recursive: true });
      const routes = ports.filter((_, k) => k !== i).map((o) => `nats-route://127.0.0.1:${o.cluster}`);
      const proc = new Proc({
        name: `blotter-n${i + 1}`,
        command: natsBinary(),
        args: [
          '-c',
          join(repoRoot, `infra/nats/cluster/node-${i + 1}.conf`),
          '-a',
          '127.0.0.1',
          '-p',
          String(p.client),
          '-m',
          String(p.monitor),
          '--cluster',
          `nats://127.0.0.1:${p.cluster}`,
          '--routes',
          routes.join(','),
          '-sd',
          store,
        ],
        cwd: join(repoRoot, 'infra/nats/cluster'),
        env: { PATH: process.env.PATH ?? '' },
        logFile: join(this.dir, `node-${i + 1}.log`),
        // /healthz is 200 once JetStream runs and this node knows the meta leader.
        ready: httpReady(`http://127.0.0.1:${p.monitor}/healthz`),
      });
      this.nodes.push({ name: `blotter-n${i + 1}`, ...p, proc });
    }
    for (const n of this.nodes) n.proc.start();
    await Promise.all(this.nodes.map((n) => n.proc.waitReady(30_000)));
  }

  node(name: string): ClusterNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name} (have ${this.nodes.map((x) => x.name).join(', ')})`);
    return n;
  }

  /** Starts a killed node again on its ports and store; resolves with the ms until /healthz is 200. */
  async restart(n: ClusterNode): Promise<number> {
    n.proc.start();
    return n.proc.waitReady(60_000);
  }

  async close(keepLogs = false): Promise<void> {
    await Promise.allSettled(this.nodes.map((n) => n.proc.stop('SIGTERM', 5000)));
    for (const n of this.nodes) n.proc.close();
    await sleep(50);
    if (keepLogs) process.stderr.write(`[scaling] nats cluster logs and stores kept in ${this.dir}\n`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}
