// Binance's symbol filters, checked in the venue's order. `reference` stands in for the 5-minute
// average price Binance uses for market notional and percent-price checks.
import { Big, isMultipleOf } from '../decimal.ts';
import { errors } from '../errors.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import { isLimitLike, isStop, type NewOrder } from './types.ts';

export const PERCENT_UP = new Big(5);
export const PERCENT_DOWN = new Big('0.2');
export const MAX_NUM_ORDERS = 200;
export const MAX_NUM_ALGO_ORDERS = 5;

export interface OpenCounts {
  orders: number;
  algoOrders: number;
}

export function checkFilters(spec: SymbolSpec, o: NewOrder, reference: Big, open: OpenCounts): void {
  for (const price of [o.price, o.stopPrice]) {
    if (price === undefined) continue;
    if (price.lt(spec.minPrice) || price.gt(spec.maxPrice) || !isMultipleOf(price.minus(spec.minPrice), spec.tickSize)) {
      throw errors.filter('PRICE_FILTER');
    }
  }
  if (o.price !== undefined && (o.price.gt(reference.times(PERCENT_UP)) || o.price.lt(reference.times(PERCENT_DOWN)))) {
    throw errors.filter('PERCENT_PRICE_BY_SIDE');
  }
  const isMarket = !isLimitLike(o.type);
  if (o.quantity !== undefined) {
    const q = o.quantity;
    if (q.lt(spec.minQty) || q.gt(spec.maxQty) || !isMultipleOf(q.minus(spec.minQty), spec.stepSize)) {
      throw errors.filter('LOT_SIZE');
    }
    if (isMarket && q.gt(spec.marketMaxQty)) throw errors.filter('MARKET_LOT_SIZE');
  }
  const notional = o.quoteOrderQty ?? (o.quantity ?? new Big(0)).times(isMarket ? reference : (o.price ?? reference));
  if (notional.lt(spec.minNotional) || (!isMarket && notional.gt(spec.maxNotional))) throw errors.filter('NOTIONAL');
  if (open.orders >= MAX_NUM_ORDERS) throw errors.filter('MAX_NUM_ORDERS');
  if (isStop(o.type) && open.algoOrders >= MAX_NUM_ALGO_ORDERS) throw errors.filter('MAX_NUM_ALGO_ORDERS');
}
