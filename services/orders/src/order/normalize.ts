// An order's decimals as the venue will receive them. The HTTP contract accepts "0.001000000000" or
// "007.50"; Binance refuses more decimals than an asset keeps (-1111) even when they are zeros, so
// every quantity and price is rewritten in its shortest exact form before the decider records it.
// A value the symbol cannot hold at all (more significant decimals than its precision, or off its
// step) is not rounded here: checkFilters denies it, naming LOT_SIZE or PRICE_FILTER.
import { dec, str } from '../money.ts';

export interface OrderDecimals {
  quantity: string;
  price: string | null;
  stopPrice: string | null;
}

/** "0.001000000000" → "0.001", "064000.50" → "64000.5": the same number, written without padding. */
export const canonicalDecimal = (value: string): string => str(dec(value));

export function normalizeOrderDecimals<T extends OrderDecimals>(terms: T): T {
  return {
    ...terms,
    quantity: canonicalDecimal(terms.quantity),
    price: terms.price === null ? null : canonicalDecimal(terms.price),
    stopPrice: terms.stopPrice === null ? null : canonicalDecimal(terms.stopPrice),
  };
}
