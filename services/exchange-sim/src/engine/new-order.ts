// A new order as the engine books it, and what it must set aside before it exists: Binance rejects
// an order it cannot fund with -2010, so the lock is taken up front — limit orders their worst
// case, MARKET BUYs the exact cost of the walk they plan, SELLs their base quantity.
import { type Big, ZERO } from '../decimal.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import type { Plan } from './match.ts';
import { isLimitLike, isStop, type NewOrder, type Order } from './types.ts';

/** The order before it has an id (the exchange numbers it once it is funded). */
export function newOrderFrom(spec: SymbolSpec, o: NewOrder, now: number): Order {
  return {
    symbol: spec.symbol,
    orderId: 0,
    clientOrderId: o.newClientOrderId ?? '',
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce ?? 'GTC',
    price: o.price ?? ZERO,
    stopPrice: o.stopPrice ?? ZERO,
    origQty: o.quantity ?? ZERO,
    origQuoteOrderQty: o.quoteOrderQty ?? ZERO,
    executedQty: ZERO,
    cummulativeQuoteQty: ZERO,
    preventedQty: ZERO,
    status: 'NEW',
    time: now,
    updateTime: now,
    workingTime: isStop(o.type) ? -1 : now,
    selfTradePreventionMode: o.selfTradePreventionMode,
    locked: ZERO,
    ...(isLimitLike(o.type) && o.side === 'BUY' && o.price ? { lockPrice: o.price } : {}),
    bookSeq: 0,
    amendCount: 0,
  };
}

export function lockFor(order: Order, plan: Plan | undefined): Big {
  if (order.side === 'SELL') return order.origQty;
  if (isLimitLike(order.type)) return order.price.times(order.origQty);
  // A stop-market BUY learns its cost only when it triggers.
  return plan ? plan.quoteQty : ZERO;
}
