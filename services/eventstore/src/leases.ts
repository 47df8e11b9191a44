// Partition leases: instances of one consumer group (projectors, executors) share the partitions of
// the event stream without anyone assigning them. Leases are keys in a JetStream KV bucket whose
// values expire after `ttlMs` unless renewed:
//  - every `renewMs` an instance renews its leases (compare-and-set on the key's revision; a failed
//    renewal means the lease was lost, and the partition is stopped at once), announces itself as a
//    member, and computes its fair share, ceil(partitions / members);
//  - above its share it releases partitions (a newcomer gets work), below it it takes free ones;
//  - a killed instance stops renewing: its leases expire and the others take them over. A restarted
//    instance with the same id reclaims its own unexpired leases immediately.
// A short overlap during a handover is harmless: consumers are durable and shared, so a message goes
// to one puller only, and the read models' checkpoints make any re-application a no-op.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { streamNames } from '@blotter/schemas';
import type { KV } from 'nats';
import type { EventStore } from './event-store.ts';
import type { Logger } from './logger.ts';

export interface LeaseOptions {
  store: EventStore;
  /** e.g. "projector" or "executor": instances of one group share the partitions. */
  group: string;
  /** Stable per instance (a restarted instance keeps its id and so its leases). */
  instanceId: string;
  /** A lease not renewed for this long expires, ms. */
  ttlMs?: number;
  /** Renewal and rebalancing period, ms; well under ttlMs. */
  renewMs?: number;
  onAcquire(partition: number): Promise<void>;
  onRelease(partition: number): Promise<void>;
  log: Logger;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

export class PartitionLeases {
  private kv: KV | null = null;
  private readonly owned = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;
  private readonly ttlMs: number;
  private readonly renewMs: number;
  private readonly me: string;

  constructor(private readonly o: LeaseOptions) {
    this.ttlMs = o.ttlMs ?? 15_000;
    this.renewMs = o.renewMs ?? Math.floor(this.ttlMs / 3);
    this.me = safe(o.instanceId);
  }

  /** Partitions this instance holds right now. */
  get partitions(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    this.kv = await this.o.store.js.views.kv(streamNames(this.o.store.namespace).leasesBucket, { ttl: this.ttlMs, history: 1 });
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.renewMs);
  }

  /** Stops every partition and hands the leases back (so others need not wait for expiry). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    for (const p of this.partitions) await this.release(p);
    await this.kv?.delete(this.memberKey()).catch(() => {});
  }

  private key(p: number): string {
    return `${safe(this.o.group)}.p${p}`;
  }

  private memberKey(): string {
    return `${safe(this.o.group)}.member.${this.me}`;
  }

  private tick(): Promise<void> {
    this.ticking ??= this.rebalance()
      .catch((err) => this.o.log.warn({ err: String(err), group: this.o.group }, 'lease renewal failed; retrying'))
      .finally(() => {
        this.ticking = null;
      });
    return this.ticking;
  }

  private async rebalance(): Promise<void> {
    const kv = this.kv;
    if (!kv || this.stopped) return;
    await kv.put(this.memberKey(), encoder.encode(new Date().toISOString()));
    for (const [p, revision] of [...this.owned]) {
      try {
        this.owned.set(p, await kv.update(this.key(p), encoder.encode(this.me), revision));
      } catch {
        this.o.log.warn({ group: this.o.group, partition: p }, 'lease lost; stopping the partition');
        this.owned.delete(p);
        await this.o.onRelease(p);
      }
    }
    const members = new Set<string>();
    for await (const k of await kv.keys(`${safe(this.o.group)}.member.*`)) members.add(k);
    const total = this.o.store.partitions;
    const share = Math.ceil(total / Math.max(1, members.size));
    while (this.owned.size > share) await this.release(Math.max(...this.owned.keys()));
    const free = [...Array(total).keys()].filter((p) => !this.owned.has(p)).sort(() => Math.random() - 0.5);
    for (const p of free) {
      if (this.owned.size >= share || this.stopped) break;
      const revision = await this.claim(kv, p);
      if (revision === null) continue;
      this.owned.set(p, revision);
      this.o.log.info({ group: this.o.group, partition: p, instance: this.me }, 'lease acquired');
      try {
        await this.o.onAcquire(p);
      } catch (err) {
        // A lease kept without its partition running would stall the partition for good (it is
        // renewed on every tick): hand it back so this or another instance takes it again.
        this.o.log.warn({ err: String(err), group: this.o.group, partition: p }, 'could not start the partition; handing the lease back');
        await this.release(p).catch(() => {});
      }
    }
  }

  /** Takes a free lease, or this instance's own lease left by its previous run. */
  private async claim(kv: KV, p: number): Promise<number | null> {
    try {
      return await kv.create(this.key(p), encoder.encode(this.me));
    } catch {
      const entry = await kv.get(this.key(p));
      if (entry?.operation !== 'PUT' || decoder.decode(entry.value) !== this.me) return null;
      return kv.update(this.key(p), encoder.encode(this.me), entry.revision).catch(() => null);
    }
  }

  private async release(p: number): Promise<void> {
    const revision = this.owned.get(p);
    this.owned.delete(p);
    await this.o.onRelease(p);
    if (revision !== undefined) await this.kv?.delete(this.key(p), { previousSeq: revision }).catch(() => {});
    this.o.log.info({ group: this.o.group, partition: p, instance: this.me }, 'lease released');
  }
}

/**
 * An instance id no other instance has: two instances with one id would each take the other's
 * leases on every renewal. Host and pid say where it runs; the random part tells apart a restarted
 * process that got the same pid (it then waits for its old leases to expire, unlike a stable id).
 */
export function defaultInstanceId(group: string): string {
  return `${hostname()}-${group}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Turns a PARTITIONS setting ("auto", "all", "0,2") into runner options. */
export function partitionChoice(
  setting: string,
  instanceId: string,
  ttlMs: number,
): { partitions?: number[]; leases?: { instanceId: string; ttlMs: number } } {
  if (setting === 'auto') return { leases: { instanceId, ttlMs } };
  if (setting === 'all' || setting === '') return {};
  return { partitions: setting.split(',').map(Number) };
}
