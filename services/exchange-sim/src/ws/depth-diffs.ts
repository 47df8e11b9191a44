// The diff-depth stream of one symbol (`<symbol>@depth` and `@depth@100ms`): every level whose total
// changed since the last event, with U = the previous event's u + 1 and u = the book's update id,
// so a client can keep a local book from a /depth snapshot exactly as web-socket-streams.md
// "How to manage a local order book correctly" describes.
import { type Big, fmt8 } from '../decimal.ts';
import type { OrderBook } from '../engine/book.ts';
import type { Side } from '../engine/types.ts';

interface Pending {
  /** Latest total per changed price level, by side. */
  bids: Map<string, [Big, Big]>;
  asks: Map<string, [Big, Big]>;
  lastU: number;
}

export class DepthDiffs {
  private readonly cadences: { fast: Pending; slow: Pending };

  constructor(private readonly book: OrderBook) {
    const fresh = (): Pending => ({ bids: new Map(), asks: new Map(), lastU: book.updateId });
    this.cadences = { fast: fresh(), slow: fresh() };
    book.onLevelChange((side, price, total) => this.changed(side, price, total));
  }

  private changed(side: Side, price: Big, total: Big): void {
    for (const p of [this.cadences.fast, this.cadences.slow]) (side === 'BUY' ? p.bids : p.asks).set(price.toString(), [price, total]);
  }

  /** The event for one cadence since its last one, or undefined when nothing changed. */
  take(fast: boolean, now: number) {
    const p = fast ? this.cadences.fast : this.cadences.slow;
    if (p.bids.size === 0 && p.asks.size === 0) return undefined;
    const rows = (m: Map<string, [Big, Big]>) => [...m.values()].map(([price, qty]) => [fmt8(price), fmt8(qty)]);
    const event = {
      e: 'depthUpdate',
      E: now,
      s: this.book.symbol,
      U: p.lastU + 1,
      u: this.book.updateId,
      b: rows(p.bids),
      a: rows(p.asks),
    };
    p.lastU = this.book.updateId;
    p.bids.clear();
    p.asks.clear();
    return event;
  }
}
