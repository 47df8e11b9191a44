// The chaos controller: `kill -9` of the executor, the projector and a gateway at chosen moments,
// each restarted after a short downtime, and NATS itself SIGKILLed and started again on the same
// port and store. Each kind of target has its own queue (a process is killed again only after it
// came back), so kills of different processes can overlap, as they would in real life. A gateway
// is killed only while the other one serves: clients always have somewhere to retry.
import type { Cluster } from './cluster.ts';
import { rng } from './load.ts';
import type { Proc } from '@blotter/test-kit';
import { sleep } from '@blotter/test-kit';

export type Target = 'executor' | 'projector' | 'gateway' | 'nats';

export interface ChaosEvent {
  at: number;
  target: Target;
}

export interface ChaosRecord {
  target: string;
  at: number;
  downMs: number;
  /** Time from restart to ready. */
  readyMs: number;
  pid?: number;
  error?: string;
}

/** Evenly spread events: `counts[target]` of each over `durationMs`, jittered, in a random order. */
export function plan(
  counts: Partial<Record<Target, number>>,
  durationMs: number,
  seed: number,
  startFraction = 0.1,
  endFraction = 0.85,
): ChaosEvent[] {
  const random = rng(seed);
  const events: ChaosEvent[] = [];
  for (const [target, n] of Object.entries(counts) as [Target, number][]) {
    const span = (endFraction - startFraction) * durationMs;
    for (let i = 0; i < n; i++) {
      const slot = span / n;
      events.push({ target, at: Math.round(startFraction * durationMs + slot * i + random() * slot * 0.8) });
    }
  }
  return events.sort((a, b) => a.at - b.at);
}

export class Chaos {
  readonly records: ChaosRecord[] = [];
  private readonly random: () => number;
  private stopped = false;
  private t0 = 0;
  private projectorKills = 0;

  constructor(
    private readonly c: Cluster,
    private readonly events: ChaosEvent[],
    private readonly o: {
      downMs: [number, number];
      seed: number;
      log?: (line: string) => void;
      /**
       * Before the n-th projector kill (0-based), hold its database link for this long (ms; 0 for a
       * plain kill): the kill then lands while a batch transaction is in flight. Needs the
       * cluster's projector proxy.
       */
      projectorFreezeMs?: (n: number) => number;
    },
  ) {
    this.random = rng(o.seed ^ 0x5eed);
  }

  stop(): void {
    this.stopped = true;
  }

  private log(line: string): void {
    this.o.log?.(`[chaos +${((Date.now() - this.t0) / 1000).toFixed(1)}s] ${line}`);
  }

  /** Runs the plan; resolves when every event ran (or was skipped because of stop()). */
  async run(): Promise<ChaosRecord[]> {
    this.t0 = Date.now();
    const queues = new Map<Target, ChaosEvent[]>();
    for (const e of this.events) queues.set(e.target, [...(queues.get(e.target) ?? []), e]);
    await Promise.all(
      [...queues.entries()].map(async ([target, events]) => {
        for (const e of events) {
          const wait = this.t0 + e.at - Date.now();
          if (wait > 0) await sleep(wait);
          if (this.stopped) return;
          await this.strike(target).catch((err) => {
            this.records.push({ target, at: Date.now() - this.t0, downMs: 0, readyMs: 0, error: String(err) });
            this.log(`${target}: ${String(err)}`);
          });
        }
      }),
    );
    return this.records;
  }

  private downtime(): number {
    const [lo, hi] = this.o.downMs;
    return Math.round(lo + this.random() * (hi - lo));
  }

  private async strike(target: Target): Promise<void> {
    const at = Date.now() - this.t0;
    const downMs = this.downtime();
    if (target === 'nats') {
      const pid = this.c.nats.pid;
      this.log(`kill -9 nats-server (pid ${pid}); down for ${downMs} ms`);
      const r = await this.c.restartNats(downMs);
      this.records.push({ target: 'nats', at, downMs, readyMs: r.readyMs, ...(pid ? { pid } : {}) });
      this.log(`nats-server back on port ${this.c.natsPort} in ${r.readyMs} ms`);
      return;
    }
    let proc: Proc;
    if (target === 'gateway') {
      // Only while another gateway serves.
      for (;;) {
        const up = this.c.gateways.filter((g) => g.running);
        if (up.length >= 2) {
          proc = up[Math.floor(this.random() * up.length)] as Proc;
          break;
        }
        await sleep(200);
      }
    } else proc = target === 'executor' ? this.c.executor : this.c.projector;
    const pid = proc.pid;
    let how = '';
    const freezeMs = proc === this.c.projector ? (this.o.projectorFreezeMs?.(this.projectorKills++) ?? 0) : 0;
    if (freezeMs > 0 && this.c.projectorProxy) {
      // The kill lands while the projector waits on Postgres in the middle of a batch.
      this.c.projectorProxy.freeze(true);
      await sleep(freezeMs);
      how = ` with its database link held for ${freezeMs} ms (a batch in flight)`;
    }
    await proc.kill();
    this.c.projectorProxy?.freeze(false);
    this.log(`kill -9 ${proc.name} (pid ${pid})${how}; restarting in ${downMs} ms`);
    await sleep(downMs);
    proc.start();
    const readyMs = await proc.waitReady(90_000);
    this.records.push({ target: proc.name, at, downMs, readyMs, ...(pid ? { pid } : {}) });
    this.log(`${proc.name} ready again (pid ${proc.pid}) ${readyMs} ms after restart`);
  }

  /** Kills per process name (gateway-a, gateway-b, executor, projector, nats). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.records) if (!r.error) out[r.target] = (out[r.target] ?? 0) + 1;
    return out;
  }
}
