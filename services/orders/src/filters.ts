// Binance's symbol filters, applied before an order leaves Blotter. The UI runs the same function,
// so a trader sees the server's rule next to the field before submitting. What needs the account's
// open orders or holdings (MAX_NUM_*, MAX_POSITION) is in account/filters.ts.
import type { FilterName, SymbolInfo } from '@blotter/schemas';
import { type Dec, dec, onGrid, str } from './money.ts';

export type { FilterName };
export type FilterField = 'price' | 'stopPrice' | 'quantity' | 'notional';

export interface FilterFailure {
  filter: FilterName;
  field: FilterField;
  reason: string;
}

export interface FilterInput {
  side: 'BUY' | 'SELL';
  type: string;
  quantity: string;
  price: string | null;
  stopPrice: string | null;
}

/** Binance documents each PRICE_FILTER bound as "disabled on 0" (a maxPrice of 0 is no maximum). */
const enabled = (bound: string): boolean => !dec(bound).eq(0);

/** Decimal places of a value written without trailing zeros ("0.0010" has 3). */
const decimals = (value: Dec): number => (str(value).split('.')[1] ?? '').length;

/**
 * More decimals than the venue keeps for the asset is refused there as -1111 ("too much
 * precision"): caught here as the field's own filter, before the order is recorded.
 */
function tooPrecise(info: SymbolInfo, field: FilterField, value: Dec, places: number | undefined): string | null {
  if (places === undefined || decimals(value) <= places) return null;
  return `${field} ${str(value)} has ${decimals(value)} decimals; ${info.symbol} takes at most ${places}`;
}

function checkPrice(info: SymbolInfo, field: 'price' | 'stopPrice', value: string): FilterFailure | null {
  const v = dec(value);
  const fail = (reason: string): FilterFailure => ({ filter: 'PRICE_FILTER', field, reason });
  const precision = tooPrecise(info, field, v, info.quoteAssetPrecision);
  if (precision) return fail(precision);
  if (enabled(info.minPrice) && v.lt(info.minPrice)) return fail(`${field} ${value} is below the minimum ${info.minPrice}`);
  if (enabled(info.maxPrice) && v.gt(info.maxPrice)) return fail(`${field} ${value} is above the maximum ${info.maxPrice}`);
  // onGrid treats a step of 0 as no grid: tickSize 0 disables the rule.
  if (!onGrid(v, info.tickSize, info.minPrice)) return fail(`${field} ${value} is not a multiple of the tick size ${info.tickSize}`);
  return null;
}

interface QuantityRule {
  filter: 'LOT_SIZE' | 'MARKET_LOT_SIZE';
  minQty: string;
  maxQty: string;
  stepSize: string;
}

function checkQuantity(rule: QuantityRule, value: string): FilterFailure | null {
  const q = dec(value);
  const fail = (reason: string): FilterFailure => ({ filter: rule.filter, field: 'quantity', reason });
  const scope = rule.filter === 'MARKET_LOT_SIZE' ? ' for a MARKET order' : '';
  if (q.lt(rule.minQty)) return fail(`quantity ${value} is below the minimum ${rule.minQty}${scope}`);
  if (q.gt(rule.maxQty)) return fail(`quantity ${value} is above the maximum ${rule.maxQty}${scope}`);
  if (!onGrid(q, rule.stepSize, rule.minQty)) return fail(`quantity ${value} is not a multiple of the step size ${rule.stepSize}`);
  return null;
}

/** LOT_SIZE for every order, then MARKET_LOT_SIZE for MARKET orders when the venue lists it. */
function checkQuantities(info: SymbolInfo, order: FilterInput): FilterFailure | null {
  const precision = tooPrecise(info, 'quantity', dec(order.quantity), info.baseAssetPrecision);
  if (precision) return { filter: 'LOT_SIZE', field: 'quantity', reason: precision };
  const lot = checkQuantity({ filter: 'LOT_SIZE', minQty: info.minQty, maxQty: info.maxQty, stepSize: info.stepSize }, order.quantity);
  if (lot || order.type !== 'MARKET' || !info.marketLotSize) return lot;
  return checkQuantity({ filter: 'MARKET_LOT_SIZE', ...info.marketLotSize }, order.quantity);
}

/**
 * A limit price too far from the market: Binance measures it against its average price over
 * avgPriceMins, this against the mark price (the venue's last price), so it catches the typo (an
 * extra digit, a misplaced point) without second-guessing an order near the band's edge by much.
 */
function checkBand(
  filter: 'PERCENT_PRICE' | 'PERCENT_PRICE_BY_SIDE',
  side: 'BUY' | 'SELL',
  [up, down]: [string, string],
  price: string,
  markPrice: string,
): FilterFailure | null {
  const fail = (reason: string): FilterFailure => ({ filter, field: 'price', reason });
  const highest = dec(markPrice).times(up);
  if (dec(price).gt(highest)) {
    return fail(`price ${price} is more than ${up}× the market price ${markPrice}: a ${side} may be at most ${str(highest)}`);
  }
  const lowest = dec(markPrice).times(down);
  if (dec(price).lt(lowest)) {
    return fail(`price ${price} is less than ${down}× the market price ${markPrice}: a ${side} must be at least ${str(lowest)}`);
  }
  return null;
}

function checkPercentPrice(info: SymbolInfo, side: 'BUY' | 'SELL', price: string, markPrice: string): FilterFailure | null {
  const bySide = info.percentPrice;
  const band = info.percentPriceBand;
  return (
    (bySide
      ? checkBand(
          'PERCENT_PRICE_BY_SIDE',
          side,
          side === 'BUY' ? [bySide.bidUp, bySide.bidDown] : [bySide.askUp, bySide.askDown],
          price,
          markPrice,
        )
      : null) ?? (band ? checkBand('PERCENT_PRICE', side, [band.up, band.down], price, markPrice) : null)
  );
}

/**
 * NOTIONAL: price × quantity within [minNotional, maxNotional]. A MARKET order has no price: the
 * venue values it at its average price over avgPriceMins, estimated here by the mark price, and
 * each bound applies to it only as applyMinToMarket / applyMaxToMarket say.
 */
function checkNotional(info: SymbolInfo, order: FilterInput, markPrice: string | null): FilterFailure | null {
  const market = order.type === 'MARKET';
  const price = market ? markPrice : order.price;
  if (price === null) return null;
  const notional = dec(price).times(order.quantity);
  const valued = market ? `estimated value ${str(notional)} (at the market price ${price})` : `order value ${str(notional)}`;
  const fail = (reason: string): FilterFailure => ({ filter: 'NOTIONAL', field: 'notional', reason });
  const minApplies = !market || info.applyMinToMarket !== false;
  if (minApplies && notional.lt(info.minNotional)) return fail(`${valued} is below the minimum ${info.minNotional}`);
  const max = info.maxNotional;
  const maxApplies = !market || info.applyMaxToMarket === true;
  if (max !== undefined && maxApplies && notional.gt(max)) return fail(`${valued} is above the maximum ${max}`);
  return null;
}

/**
 * The first filter the order fails, or null: LOT_SIZE (and MARKET_LOT_SIZE), PRICE_FILTER for the
 * price and the stop price, PERCENT_PRICE_BY_SIDE / PERCENT_PRICE, NOTIONAL. Quantities and prices
 * with more decimals than the venue keeps fail LOT_SIZE / PRICE_FILTER. Without a mark price a
 * MARKET order's notional, and no limit price's distance from the market, is checked here.
 */
export function checkFilters(info: SymbolInfo, order: FilterInput, markPrice: string | null): FilterFailure | null {
  return (
    checkQuantities(info, order) ??
    (order.price !== null ? checkPrice(info, 'price', order.price) : null) ??
    (order.stopPrice !== null ? checkPrice(info, 'stopPrice', order.stopPrice) : null) ??
    (order.price !== null && markPrice !== null ? checkPercentPrice(info, order.side, order.price, markPrice) : null) ??
    checkNotional(info, order, markPrice)
  );
}
