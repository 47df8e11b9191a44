// Binance's symbol and exchange filters (filters.md), checked in a fixed order, each failure
// reported as -1013 "Filter failure: <NAME>". Prices that Binance takes from the "average of
// previous trade prices" come from `avgPrice(mins)`, the same number GET /api/v3/avgPrice serves.
import { type Big, isMultipleOf } from '../decimal.ts';
import { errors } from '../errors.ts';
import { EXCHANGE_MAX_NUM_ALGO_ORDERS, EXCHANGE_MAX_NUM_ORDERS, type LotFilter, type SymbolSpec } from '../market/symbols.ts';
import { isLimitLike, isStop, type NewOrder } from './types.ts';

export interface OpenCounts {
  /** Open orders of the account on this symbol, and on the whole exchange. */
  orders: number;
  algoOrders: number;
  allOrders: number;
  allAlgoOrders: number;
}

export interface FilterContext {
  avgPrice(mins: number): Big;
  open: OpenCounts;
}

/** PRICE_FILTER: any of minPrice, maxPrice and tickSize set to 0 switches that rule off. */
export function passesPriceFilter(spec: SymbolSpec, price: Big): boolean {
  const { minPrice, maxPrice, tickSize } = spec.filters.price;
  if (minPrice.gt(0) && price.lt(minPrice)) return false;
  if (maxPrice.gt(0) && price.gt(maxPrice)) return false;
  return tickSize.eq(0) || isMultipleOf(price, tickSize);
}

/** LOT_SIZE and MARKET_LOT_SIZE: a step of 0 means "no step" (Binance's MARKET_LOT_SIZE usually has one). */
export const passesLot = (f: LotFilter, qty: Big): boolean => qty.gte(f.minQty) && qty.lte(f.maxQty) && isMultipleOf(qty, f.stepSize);

export function checkFilters(spec: SymbolSpec, o: NewOrder, ctx: FilterContext): void {
  const f = spec.filters;
  for (const price of [o.price, o.stopPrice]) {
    if (price !== undefined && !passesPriceFilter(spec, price)) throw errors.filter('PRICE_FILTER');
  }
  if (o.price !== undefined) {
    const p = f.percentPriceBySide;
    const ref = ctx.avgPrice(p.avgPriceMins);
    const [up, down] = o.side === 'BUY' ? [p.bidMultiplierUp, p.bidMultiplierDown] : [p.askMultiplierUp, p.askMultiplierDown];
    if (o.price.gt(ref.times(up)) || o.price.lt(ref.times(down))) throw errors.filter('PERCENT_PRICE_BY_SIDE');
  }
  const isMarket = !isLimitLike(o.type);
  if (o.quantity !== undefined) {
    if (!passesLot(f.lot, o.quantity)) throw errors.filter('LOT_SIZE');
    if (isMarket && !passesLot(f.marketLot, o.quantity)) throw errors.filter('MARKET_LOT_SIZE');
  }
  checkNotional(spec, o, ctx);
  if (ctx.open.orders >= f.maxNumOrders) throw errors.filter('MAX_NUM_ORDERS');
  if (isStop(o.type) && ctx.open.algoOrders >= f.maxNumAlgoOrders) throw errors.filter('MAX_NUM_ALGO_ORDERS');
  if (ctx.open.allOrders >= EXCHANGE_MAX_NUM_ORDERS) throw errors.filter('EXCHANGE_MAX_NUM_ORDERS');
  if (isStop(o.type) && ctx.open.allAlgoOrders >= EXCHANGE_MAX_NUM_ALGO_ORDERS) throw errors.filter('EXCHANGE_MAX_NUM_ALGO_ORDERS');
}

/** NOTIONAL: price × quantity within [min, max]; MARKET orders only where applyMin/MaxToMarket say so. */
function checkNotional(spec: SymbolSpec, o: NewOrder, ctx: FilterContext): void {
  const n = spec.filters.notional;
  const isMarket = !isLimitLike(o.type);
  let notional: Big;
  if (o.quoteOrderQty !== undefined) notional = o.quoteOrderQty;
  else if (o.quantity === undefined) return;
  else if (isMarket) notional = o.quantity.times(ctx.avgPrice(n.avgPriceMins));
  else notional = o.quantity.times(o.price ?? ctx.avgPrice(n.avgPriceMins));
  if ((!isMarket || n.applyMinToMarket) && notional.lt(n.minNotional)) throw errors.filter('NOTIONAL');
  if ((!isMarket || n.applyMaxToMarket) && notional.gt(n.maxNotional)) throw errors.filter('NOTIONAL');
}
