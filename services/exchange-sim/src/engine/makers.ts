// The resting quotes a taker can trade with, as the matching rule sees them.
import { Big } from '../decimal.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import { type OrderBook, quoteQty } from './book.ts';
import type { MakerView } from './match.ts';
import type { Side } from './types.ts';

/** Quotes a taker on `side` crosses up to `limit`, best first; `owner` marks its own (for STP). */
export function* makersFor(book: OrderBook, side: Side, limit: Big | undefined, owner: string | undefined): Generator<MakerView> {
  for (const quote of book.crossing(side, limit)) {
    yield {
      quote,
      price: quote.price,
      available: quoteQty(quote),
      self: owner !== undefined && quote.kind === 'user' && quote.owner === owner,
    };
  }
}

const TINY_STEP = new Big('0.00000001');

/** The base step quote-budget orders round to; a disabled step (0) means 8 decimals. */
export const stepOf = (spec: SymbolSpec): Big => (spec.filters.lot.stepSize.gt(0) ? spec.filters.lot.stepSize : TINY_STEP);
