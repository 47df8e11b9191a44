// Login attempts per key (an account, an address) in fixed one-minute windows, counted in a
// JetStream KV bucket every gateway shares: with N gateways behind a balancer an attacker still
// gets the limit once, not N times. Each count is a compare-and-set on the key's revision, so two
// gateways counting at the same moment both count. Keys are hashed (an email is not a KV token and
// should not sit in a bucket in the clear); the bucket forgets windows after two minutes.
import { createHash } from 'node:crypto';
import type { EventStore } from '@blotter/eventstore';
import { streamNames } from '@blotter/schemas';
import type { KV } from 'nats';

const WINDOW_MS = 60_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Concurrent counters of one key that lose the compare-and-set try again, this many times. */
const MAX_TRIES = 20;

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
    const name = `${this.kind}.${createHash('sha256').update(key).digest('hex').slice(0, 32)}.${windowStart}`;
    const kv = await this.bucket();
    let n = 0;
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const entry = await kv.get(name);
      try {
        if (entry?.operation !== 'PUT') {
          n = 1;
          await kv.create(name, encoder.encode('1'));
        } else {
          n = Number(decoder.decode(entry.value)) + 1;
          await kv.update(name, encoder.encode(String(n)), entry.revision);
        }
        break;
      } catch (err) {
        // Another gateway counted first (wrong last sequence): read again and count on top.
        if (attempt === MAX_TRIES - 1) throw err;
      }
    }
    return n > this.max ? Math.ceil((windowStart + WINDOW_MS - now) / 1000) : 0;
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
