// Following resting orders until they close. Fills arrive as they happen through each user's
// user-data stream; a poll (queryOrder: status plus every fill) runs for each open order every
// `pollMs` and for all of a user's orders right after their stream reconnects, so a report lost
// with a dropped connection is still recorded. Both paths go through the decider, which ignores
// what it already knows.
import type { Logger } from '@blotter/eventstore';
import type { Venue } from '@blotter/schemas';
import { followsBalances, type VenueBalances } from './balances.ts';
import { type Ledger, type OrderRef, recordReport } from './record.ts';
import { isResting } from './submit.ts';
import type { VenueRegistry } from './venues.ts';
import type { VenueClient, VenueOrderReport } from './venue/types.ts';

interface Tracked {
  ref: OrderRef;
  symbol: string;
  venue: Venue;
  nextPollAt: number;
}

export interface FollowerOptions {
  ledger: Ledger;
  venues: VenueRegistry;
  subjectOf: (userId: string, orderId: string) => string;
  /** Poll period per open order, ms. */
  pollMs: number;
  /** Where the venue's balance changes are recorded (venues that followsBalances). */
  balances?: VenueBalances;
  log: Logger;
}

export class RestingOrders {
  private readonly open = new Map<string, Tracked>();
  private readonly streams = new Map<string, Promise<(() => Promise<void>) | null>>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(private readonly o: FollowerOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.pollDue(), Math.min(1000, this.o.pollMs));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const ends = await Promise.all(this.streams.values());
    await Promise.allSettled(ends.map((end) => end?.()));
    this.streams.clear();
  }

  get size(): number {
    return this.open.size;
  }

  track(ref: OrderRef, symbol: string, venue: Venue): void {
    this.open.set(ref.orderId, { ref, symbol, venue, nextPollAt: Date.now() + this.o.pollMs });
    this.ensureStream(ref.userId, venue);
  }

  /** Follows a user's stream without an open order (a testnet account's deposits and withdrawals). */
  follow(userId: string, venue: Venue): void {
    this.ensureStream(userId, venue);
  }

  untrack(orderId: string): void {
    this.open.delete(orderId);
  }

  /** Stops following the orders a predicate selects (a partition handed to another executor). */
  untrackWhere(predicate: (ref: OrderRef) => boolean): void {
    for (const [id, t] of this.open) if (predicate(t.ref)) this.open.delete(id);
  }

  private ensureStream(userId: string, venue: Venue): void {
    const key = `${userId}|${venue}`;
    if (this.streams.has(key)) return;
    const started = (async () => {
      try {
        const client = await this.o.venues.forUser(userId, venue);
        const balances = followsBalances(venue) ? this.o.balances : undefined;
        const end = await client.subscribe({
          onReport: (report) => void this.onReport(userId, report),
          onReconnect: () => {
            this.pollUser(userId);
            if (balances) void this.syncBalances(balances, userId, venue, client);
          },
          ...(balances && {
            onBalanceUpdate: (update) =>
              void balances
                .onBalanceUpdate(userId, venue, update)
                .catch((err) =>
                  this.o.log.warn(
                    { userId, err: String(err) },
                    'could not record a balanceUpdate; the sync after the next reconnect finds it',
                  ),
                ),
          }),
        });
        // Whatever the venue changed while no stream was followed (this executor was down, say).
        if (balances) void this.syncBalances(balances, userId, venue, client);
        return end;
      } catch (err) {
        // Without a stream the poll still follows the orders; try the stream again later.
        this.o.log.warn({ userId, err: String(err) }, 'user-data stream unavailable; polling only');
        setTimeout(() => this.streams.delete(key), 30_000).unref();
        return null;
      }
    })();
    this.streams.set(key, started);
  }

  private async syncBalances(balances: VenueBalances, userId: string, venue: Venue, client: VenueClient): Promise<void> {
    try {
      await balances.sync(userId, venue, client);
    } catch (err) {
      this.o.log.warn({ userId, err: String(err) }, 'venue balance sync failed; the next reconnect retries');
    }
  }

  private async onReport(userId: string, report: VenueOrderReport): Promise<void> {
    const tracked = this.open.get(report.clientOrderId);
    if (!tracked || tracked.ref.userId !== userId) return;
    try {
      await this.apply(tracked, report, await this.o.venues.forUser(userId, tracked.venue));
    } catch (err) {
      this.o.log.warn({ orderId: tracked.ref.orderId, err: String(err) }, 'no venue client for a report; the next poll retries');
    }
  }

  private pollUser(userId: string): void {
    for (const t of this.open.values()) if (t.ref.userId === userId) t.nextPollAt = 0;
    void this.pollDue();
  }

  private async pollDue(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const now = Date.now();
      for (const t of [...this.open.values()]) {
        if (t.nextPollAt > now) continue;
        t.nextPollAt = now + this.o.pollMs;
        let client: VenueClient;
        try {
          client = await this.o.venues.forUser(t.ref.userId, t.venue);
          const report = await client.queryOrder(t.symbol, t.ref.orderId);
          if (report) await this.apply(t, report, client);
        } catch (err) {
          this.o.log.warn({ orderId: t.ref.orderId, err: String(err) }, 'poll of a resting order failed; will retry');
        }
      }
    } finally {
      this.polling = false;
    }
  }

  private async apply(t: Tracked, report: VenueOrderReport, client: VenueClient): Promise<void> {
    try {
      const status = await recordReport(this.o.ledger, client, t.ref, report, null);
      if (!isResting(status)) this.untrack(t.ref.orderId);
    } catch (err) {
      this.o.log.warn({ orderId: t.ref.orderId, err: String(err) }, 'could not record a venue report; the next poll retries');
    }
  }
}
