// Login attempts per key (an account, an address) over a sliding minute, counted in a JetStream KV
// bucket every gateway shares: with N gateways behind a balancer an attacker still gets the limit
// once, not N times. Counts are kept per minute-aligned window, and an attempt is judged on the
// current window's count plus the previous window's, weighted by how much of the previous window
// the last minute still covers. Fixed windows alone let a guesser through twice the limit
// around each boundary (the limit at 12:00:59, the limit again at 12:01:00).
// Each count is a compare-and-set on the key's revision, so two gateways counting at the same
// moment both count. Keys are hashed (an email is not a KV token and should not sit in a bucket
// in the clear); the bucket forgets windows after two minutes.
import { createHash } from 'node:crypto';
import type { EventStore } from '@blotter/eventstore';
import { streamNames } from '@blotter/schemas';
import type { KV } from 'nats';

export const WINDOW_MS = 60_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Concurrent counters of one key that lose the compare-and-set try again, this many times. */
const MAX_TRIES = 20;

/**
 * The verdict on an attempt already counted: 0 when it may go on, else the seconds until one more
 * attempt would be let through if none came meanwhile. `current` counts this attempt; `elapsed`
 * is how far into the current window it came. Pure, so the arithmetic is tested without a clock.
 */
export function slidingVerdict(max: number, previous: number, current: number, elapsed: number): number {
  const covered = (WINDOW_MS - elapsed) / WINDOW_MS;
  if (previous * covered + current <= max) return 0;
  // One more attempt passes in this window once previous × (W − e)/W + current + 1 ≤ max,
  // else in the next one once current × (W − e)/W + 1 ≤ max.
  // In whole milliseconds (integers over integers), so an exact second is not rounded up by a float.
  const partOf = (count: number, free: number) => Math.ceil((WINDOW_MS * (count - free)) / count);
  const waitMs =
    previous > 0 && current + 1 <= max
      ? partOf(previous, max - current - 1) - elapsed
      : WINDOW_MS - elapsed + partOf(current, Math.max(0, max - 1));
  return Math.max(1, Math.ceil(waitMs / 1000));
}

export class AttemptWindow {
  private kv: Promise<KV> | null = null;

  constructor(
    private readonly store: EventStore,
    /** Distinguishes the counters (`email`, `address`). */
    private readonly kind: string,
    private readonly max: number,
  ) {}

  /** Counts an attempt; returns the seconds to wait when over the limit, else 0. */
  async hit(key: string, now = Date.now()): Promise<number> {
    const windowStart = now - (now % WINDOW_MS);
    const prefix = `${this.kind}.${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
    const kv = await this.bucket();
    const [previous, current] = await Promise.all([
      kv.get(`${prefix}.${windowStart - WINDOW_MS}`).then((e) => (e?.operation === 'PUT' ? Number(decoder.decode(e.value)) : 0)),
      this.count(kv, `${prefix}.${windowStart}`),
    ]);
    return slidingVerdict(this.max, previous, current, now - windowStart);
  }

  /** Adds one to a window's count (compare-and-set); returns the new count. */
  private async count(kv: KV, name: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const entry = await kv.get(name);
      try {
        if (entry?.operation !== 'PUT') {
          await kv.create(name, encoder.encode('1'));
          return 1;
        }
        const n = Number(decoder.decode(entry.value)) + 1;
        await kv.update(name, encoder.encode(String(n)), entry.revision);
        return n;
      } catch (err) {
        // Another gateway counted first (wrong last sequence): read again and count on top.
        if (attempt === MAX_TRIES - 1) throw err;
      }
    }
  }

  private bucket(): Promise<KV> {
    this.kv ??= this.store.js.views.kv(streamNames(this.store.namespace).loginAttemptsBucket, {
      history: 1,
      ttl: 2 * WINDOW_MS,
      replicas: this.store.streams.replicas,
      description: 'Blotter login attempts per minute (shared by every gateway)',
    });
    return this.kv;
  }
}
