// Reconciliation: at start and every `intervalMs`, each user's orders that Blotter thinks are open
// at the venue are compared with the venue, by client order id (our order id).
//  - The venue has closed it (filled, canceled, expired): the fills and final status it reports are
//    recorded, with a reason saying reconciliation found them.
//  - The venue does not know it: after `missesBeforeExpiry` consecutive checks (a lookup right
//    after a restart of the venue's side may be premature) it is recorded EXPIRED with that reason.
//  - The venue holds an open order of ours that Blotter thinks is closed: logged and counted, never
//    acted on blindly (a human must look).
import { type ExistingOrder, isOpen } from '@blotter/orders';
import type { SubmitDeps } from './submit.ts';
import { currentOrder, record, recordReport } from './record.ts';
import type { VenueOrderReport } from './venue/types.ts';

export interface ReconcileOptions {
  deps: SubmitDeps;
  subjectOf: (userId: string, orderId: string) => string;
  /** The venue-acknowledged open orders of the partitions this executor works on, at each pass. */
  openOrders: () => readonly ExistingOrder[];
  intervalMs: number;
  missesBeforeExpiry: number;
}

export interface ReconcileStats {
  runs: number;
  recorded: number;
  expired: number;
  strays: number;
}

export class Reconciler {
  private readonly misses = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  readonly stats: ReconcileStats = { runs: 0, recorded: 0, expired: 0, strays: 0 };

  constructor(private readonly o: ReconcileOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.o.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass over every user with open orders in this executor's partitions (never two at once). */
  runOnce(): Promise<void> {
    // A failed pass (the read models' database down, say) is logged and retried on the next tick;
    // it must never reject into a timer, where it would kill the executor.
    this.running ??= this.pass()
      .catch((err) => this.o.deps.log.warn({ err: String(err) }, 'reconciliation pass failed; the next one retries'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async pass(): Promise<void> {
    const { deps } = this.o;
    const open = this.o.openOrders();
    // Node 20 has no Map.groupBy.
    const byUser = new Map<string, typeof open>();
    for (const o of open) byUser.set(`${o.userId}|${o.venue}`, [...(byUser.get(`${o.userId}|${o.venue}`) ?? []), o]);
    for (const [key, orders] of byUser) {
      const [userId = '', venueName] = key.split('|');
      try {
        const venue = await deps.venues.forUser(userId, venueName === 'binance-testnet' ? 'binance-testnet' : 'paper');
        const atVenue = new Map((await venue.openOrders()).map((r) => [r.clientOrderId, r]));
        for (const order of orders) {
          if (atVenue.has(order.orderId)) {
            this.misses.delete(order.orderId);
            continue;
          }
          const ref = { userId, orderId: order.orderId, subject: this.o.subjectOf(userId, order.orderId), correlationId: 'reconciliation' };
          const known = await venue.queryOrder(order.symbol, order.orderId);
          if (known) {
            this.misses.delete(order.orderId);
            await recordReport(deps.ledger, venue, ref, known, null, reasonFor(known));
            this.stats.recorded++;
            continue;
          }
          const misses = (this.misses.get(order.orderId) ?? 0) + 1;
          this.misses.set(order.orderId, misses);
          if (misses >= this.o.missesBeforeExpiry) {
            await record(
              deps.ledger,
              ref,
              {
                venueOrderId: order.venueOrderId,
                venueStatus: 'EXPIRED',
                fills: [],
                code: null,
                reason: `reconciliation: the venue did not know this order in ${misses} checks`,
              },
              null,
            );
            this.misses.delete(order.orderId);
            this.stats.expired++;
          }
        }
        const ours = new Set(orders.map((o) => o.orderId));
        for (const r of atVenue.values()) {
          if (/^[0-9a-f-]{36}$/.test(r.clientOrderId) && !ours.has(r.clientOrderId)) {
            // Our index may simply lag by a moment: the account's current state decides.
            const ref = { userId, orderId: r.clientOrderId, subject: this.o.subjectOf(userId, r.clientOrderId), correlationId: null };
            if (isOpen(await currentOrder(deps.ledger, ref))) continue;
            this.stats.strays++;
            deps.log.warn(
              { userId, clientOrderId: r.clientOrderId, status: r.status },
              'reconciliation: the venue has an open order Blotter does not consider open',
            );
          }
        }
      } catch (err) {
        deps.log.warn({ userId, err: String(err) }, 'reconciliation of a user failed; next pass retries');
      }
    }
    this.stats.runs++;
  }
}

function reasonFor(r: VenueOrderReport): string {
  return `reconciliation: the venue reports this order ${r.status}`;
}
