// Taking liquidity from the synthetic book: pure functions over a ladder, best level first.
import { type Big, floorTo, minBig, ZERO } from '../decimal.ts';
import type { Book, BookLevel } from '../market/book.ts';
import type { Side } from './types.ts';

export interface Fill {
  price: Big;
  qty: Big;
}

/** The side an order of `side` trades against, restricted to levels its limit allows. */
export function opposite(book: Book, side: Side, limit?: Big): BookLevel[] {
  const levels = side === 'BUY' ? book.asks : book.bids;
  if (limit === undefined) return levels;
  return levels.filter((l) => (side === 'BUY' ? l.price.lte(limit) : l.price.gte(limit)));
}

export const depthOf = (levels: BookLevel[]): Big => levels.reduce((s, l) => s.plus(l.qty), ZERO);

export function takeQty(levels: BookLevel[], qty: Big): Fill[] {
  const fills: Fill[] = [];
  let left = qty;
  for (const level of levels) {
    if (left.lte(0)) break;
    const q = minBig(left, level.qty);
    if (q.gt(0)) fills.push({ price: level.price, qty: q });
    left = left.minus(q);
  }
  return fills;
}

/** Spend up to `quote`, buying (or selling) whole steps of base per level. */
export function takeQuote(levels: BookLevel[], quote: Big, step: Big): Fill[] {
  const fills: Fill[] = [];
  let left = quote;
  for (const level of levels) {
    const q = minBig(level.qty, floorTo(left.div(level.price), step));
    if (q.lte(0)) break;
    fills.push({ price: level.price, qty: q });
    left = left.minus(q.times(level.price));
  }
  return fills;
}

export const sumQty = (fills: Fill[]): Big => fills.reduce((s, f) => s.plus(f.qty), ZERO);
export const sumQuote = (fills: Fill[]): Big => fills.reduce((s, f) => s.plus(f.qty.times(f.price)), ZERO);
