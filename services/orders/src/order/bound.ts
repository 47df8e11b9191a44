// How far a MARKET BUY may walk the book. Binance's MARKET order has no price cap: sent as such, it
// fills at whatever the asks are when it arrives, and if the market moved since its reservation was
// made (a queue, a rate-limit wait, an executor restart) it could cost more than was reserved and
// drive the quote balance below zero. So the executor sends it as a LIMIT IOC at this bound: its
// reserved quote over its quantity, down to the symbol's tick. Every fill is then at most the bound,
// so the quote it spends never exceeds the reservation (a BUY's fee is charged in what it receives);
// what the book cannot fill within the bound expires, as a MARKET order's unfillable rest does.
import type { SymbolInfo } from '@blotter/schemas';
import { dec, floorToStep, str } from '../money.ts';
import type { ExistingOrder } from './state.ts';

/** Binance's finest price precision, used when the symbol's tick filter is disabled (tickSize 0). */
const FINEST_TICK = '0.00000001';

export function marketBuyPriceBound(
  order: Pick<ExistingOrder, 'quantity' | 'reservedInitial'>,
  info: Pick<SymbolInfo, 'tickSize' | 'maxPrice'>,
): string {
  const tick = dec(info.tickSize).gt(0) ? info.tickSize : FINEST_TICK;
  let bound = floorToStep(dec(order.reservedInitial).div(order.quantity), tick);
  // maxPrice 0 disables the bound (Binance); a cap above it would be refused by PRICE_FILTER.
  if (dec(info.maxPrice).gt(0) && bound.gt(info.maxPrice)) bound = floorToStep(info.maxPrice, tick);
  return str(bound);
}
