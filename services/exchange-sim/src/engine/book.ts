// One symbol's order book: price levels per side, best first, each a FIFO queue of resting quotes.
// Users' resting orders and the market maker's quotes sit in the same queues, so time priority
// holds between them too. Every change bumps `updateId` (the lastUpdateId of /depth and the U/u of
// the diff-depth stream) and is reported to the listener with the level's new total.
import { type Big, ZERO } from '../decimal.ts';
import { type Order, remainingOf, type Side } from './types.ts';

export interface MarketMakerQuote {
  kind: 'mm';
  side: Side;
  price: Big;
  qty: Big;
  seq: number;
}

export interface UserQuote {
  kind: 'user';
  side: Side;
  price: Big;
  order: Order;
  /** API key of the account that owns the order. */
  owner: string;
  seq: number;
}

export type Quote = MarketMakerQuote | UserQuote;

export const quoteQty = (q: Quote): Big => (q.kind === 'mm' ? q.qty : remainingOf(q.order));

export interface Level {
  price: Big;
  total: Big;
  quotes: Quote[];
}

export type LevelListener = (side: Side, price: Big, total: Big) => void;

/** One side of the book, best level first (highest bid, lowest ask). */
class Ladder {
  readonly levels: Level[] = [];
  private readonly byPrice = new Map<string, Level>();

  constructor(private readonly side: Side) {}

  /** True when `a` is a better price than `b` on this side. */
  private better(a: Big, b: Big): boolean {
    return this.side === 'BUY' ? a.gt(b) : a.lt(b);
  }

  level(price: Big): Level | undefined {
    return this.byPrice.get(price.toString());
  }

  levelFor(price: Big): Level {
    const found = this.level(price);
    if (found) return found;
    const level: Level = { price, total: ZERO, quotes: [] };
    let lo = 0;
    let hi = this.levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const at = this.levels[mid] as Level;
      if (this.better(at.price, price)) lo = mid + 1;
      else hi = mid;
    }
    this.levels.splice(lo, 0, level);
    this.byPrice.set(price.toString(), level);
    return level;
  }

  drop(level: Level): void {
    const i = this.levels.indexOf(level);
    if (i >= 0) this.levels.splice(i, 1);
    this.byPrice.delete(level.price.toString());
  }

  /** Quotes in priority order whose price is at least as good as `limit` for a taker on the other side. */
  *crossing(limit: Big | undefined): Generator<Quote> {
    for (const level of this.levels) {
      if (limit !== undefined && this.better(limit, level.price)) return;
      yield* level.quotes;
    }
  }
}

export class OrderBook {
  readonly bids = new Ladder('BUY');
  readonly asks = new Ladder('SELL');
  updateId = 0;
  private nextSeq = 1;
  private listener: LevelListener | undefined;

  constructor(readonly symbol: string) {}

  onLevelChange(listener: LevelListener | undefined): void {
    this.listener = listener;
  }

  private ladder(side: Side): Ladder {
    return side === 'BUY' ? this.bids : this.asks;
  }

  /** A sequence number for a new quote; higher = later in its queue. */
  takeSeq(): number {
    return this.nextSeq++;
  }

  /** The sequence number the next quote will get (journaled, so recovered queues keep their order). */
  peekSeq(): number {
    return this.nextSeq;
  }

  /** After recovery: new quotes must queue behind every restored one. */
  reserveSeq(seq: number): void {
    if (seq >= this.nextSeq) this.nextSeq = seq + 1;
  }

  /** Appends to the back of its price level. */
  add(quote: Quote): void {
    const level = this.ladder(quote.side).levelFor(quote.price);
    level.quotes.push(quote);
    this.changed(quote.side, level, quoteQty(quote));
  }

  remove(quote: Quote): void {
    const ladder = this.ladder(quote.side);
    const level = ladder.level(quote.price);
    if (!level) return;
    const i = level.quotes.indexOf(quote);
    if (i < 0) return;
    level.quotes.splice(i, 1);
    const left = level.quotes.reduce((s, q) => s.plus(quoteQty(q)), ZERO);
    this.changed(quote.side, level, left.minus(level.total));
    if (level.quotes.length === 0) ladder.drop(level);
  }

  /**
   * The quote's quantity went down by `by` (a fill, a prevented match, an amend); the caller has
   * already updated the quote or its order. A quote with nothing left leaves the book.
   */
  reduced(quote: Quote, by: Big): void {
    const ladder = this.ladder(quote.side);
    const level = ladder.level(quote.price);
    if (!level?.quotes.includes(quote)) return;
    if (quoteQty(quote).lte(0)) {
      this.remove(quote);
      return;
    }
    this.changed(quote.side, level, by.times(-1));
  }

  /** Resting quotes a taker on `takerSide` could trade with, best price first, FIFO within a price. */
  crossing(takerSide: Side, limit?: Big): Generator<Quote> {
    return this.ladder(takerSide === 'BUY' ? 'SELL' : 'BUY').crossing(limit);
  }

  best(side: Side): Level | undefined {
    return this.ladder(side).levels[0];
  }

  /** The top `n` levels of a side as [price, total quantity]. */
  depth(side: Side, n: number): [Big, Big][] {
    return this.ladder(side)
      .levels.slice(0, n)
      .map((l) => [l.price, l.total]);
  }

  quotes(side: Side): Quote[] {
    return this.ladder(side).levels.flatMap((l) => l.quotes);
  }

  private changed(side: Side, level: Level, delta: Big): void {
    level.total = level.total.plus(delta);
    this.updateId += 1;
    this.listener?.(side, level.price, level.total);
  }
}
