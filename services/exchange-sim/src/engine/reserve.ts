// What a new order must set aside before it exists. Binance rejects an order it cannot fund with
// -2010, so the lock is taken up front: limit orders lock their full worst case, market orders
// the cost of the exact walk they are about to make.
import { type Big, ZERO } from '../decimal.ts';
import type { Book } from '../market/book.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import { isLimitLike, type NewOrder } from './types.ts';
import { type Fill, opposite, sumQty, sumQuote, takeQty, takeQuote } from './walk.ts';

export interface Reservation {
  asset: string;
  amount: Big;
  /** For quote locked per unit of base at a limit price. */
  lockPrice?: Big;
  origQty: Big;
  /** A MARKET order's fills, planned against the same book the lock was sized on. */
  marketFills?: Fill[];
}

export function reserve(spec: SymbolSpec, o: NewOrder, book: Book): Reservation {
  const buy = o.side === 'BUY';
  const asset = buy ? spec.quoteAsset : spec.baseAsset;
  const qty = o.quantity ?? ZERO;
  if (isLimitLike(o.type)) {
    const price = o.price ?? ZERO;
    return buy ? { asset, amount: price.times(qty), lockPrice: price, origQty: qty } : { asset, amount: qty, origQty: qty };
  }
  if (o.type !== 'MARKET') {
    // Stop-market: a SELL's base is held until it triggers; a BUY's cost is unknown until then.
    return { asset, amount: buy ? ZERO : qty, origQty: qty };
  }
  const levels = opposite(book, o.side);
  if (o.quoteOrderQty !== undefined) {
    const fills = takeQuote(levels, o.quoteOrderQty, spec.stepSize);
    return { asset, amount: buy ? o.quoteOrderQty : sumQty(fills), origQty: sumQty(fills), marketFills: fills };
  }
  const fills = takeQty(levels, qty);
  return { asset, amount: buy ? sumQuote(fills) : qty, origQty: qty, marketFills: fills };
}
