// Binance's symbol filters, applied before an order leaves Blotter. The UI runs the same function,
// so a trader sees the server's rule next to the field before submitting.
import type { SymbolInfo } from '@blotter/schemas';
import { dec, onGrid, str } from './money.ts';

export type FilterName = 'PRICE_FILTER' | 'PERCENT_PRICE_BY_SIDE' | 'LOT_SIZE' | 'NOTIONAL';
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

function checkPrice(info: SymbolInfo, field: 'price' | 'stopPrice', value: string): FilterFailure | null {
  const v = dec(value);
  const fail = (reason: string): FilterFailure => ({ filter: 'PRICE_FILTER', field, reason });
  if (enabled(info.minPrice) && v.lt(info.minPrice)) return fail(`${field} ${value} is below the minimum ${info.minPrice}`);
  if (enabled(info.maxPrice) && v.gt(info.maxPrice)) return fail(`${field} ${value} is above the maximum ${info.maxPrice}`);
  // onGrid treats a step of 0 as no grid: tickSize 0 disables the rule.
  if (!onGrid(v, info.tickSize, info.minPrice)) return fail(`${field} ${value} is not a multiple of the tick size ${info.tickSize}`);
  return null;
}

function checkQuantity(info: SymbolInfo, value: string): FilterFailure | null {
  const q = dec(value);
  const fail = (reason: string): FilterFailure => ({ filter: 'LOT_SIZE', field: 'quantity', reason });
  if (q.lt(info.minQty)) return fail(`quantity ${value} is below the minimum ${info.minQty}`);
  if (q.gt(info.maxQty)) return fail(`quantity ${value} is above the maximum ${info.maxQty}`);
  if (!onGrid(q, info.stepSize, info.minQty)) return fail(`quantity ${value} is not a multiple of the step size ${info.stepSize}`);
  return null;
}

/**
 * A limit price too far from the market: Binance measures it against its 5-minute average price,
 * this against the mark price (the venue's last price), so it catches the typo (an extra digit, a
 * misplaced point) without second-guessing an order near the band's edge by much.
 */
function checkPercentPrice(info: SymbolInfo, side: 'BUY' | 'SELL', price: string, markPrice: string): FilterFailure | null {
  const band = info.percentPrice;
  if (!band) return null;
  const [up, down] = side === 'BUY' ? [band.bidUp, band.bidDown] : [band.askUp, band.askDown];
  const fail = (reason: string): FilterFailure => ({ filter: 'PERCENT_PRICE_BY_SIDE', field: 'price', reason });
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

/**
 * The first filter the order fails, or null. MARKET orders are checked for notional at the mark
 * price (Binance's applyMinToMarket); without a mark price their notional, and no limit price's
 * distance from the market, is checked here.
 */
export function checkFilters(info: SymbolInfo, order: FilterInput, markPrice: string | null): FilterFailure | null {
  const failure =
    checkQuantity(info, order.quantity) ??
    (order.price !== null ? checkPrice(info, 'price', order.price) : null) ??
    (order.stopPrice !== null ? checkPrice(info, 'stopPrice', order.stopPrice) : null) ??
    (order.price !== null && markPrice !== null ? checkPercentPrice(info, order.side, order.price, markPrice) : null);
  if (failure) return failure;
  const price = order.type === 'MARKET' ? markPrice : order.price;
  if (price === null) return null;
  const notional = dec(price).times(order.quantity);
  if (notional.lt(info.minNotional)) {
    return {
      filter: 'NOTIONAL',
      field: 'notional',
      reason: `order value ${str(notional)} is below the minimum ${info.minNotional}`,
    };
  }
  return null;
}
