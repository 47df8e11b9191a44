// The Binance filters that depend on the account, not only on the order: how many orders are open
// (MAX_NUM_ORDERS, MAX_NUM_ALGO_ORDERS and their exchange-wide twins) and how much of the base
// asset it holds (MAX_POSITION). Pure: the counts and holdings are inputs, gathered by whoever holds
// the account's state, so the same rule runs wherever that state lives.
import type { FilterName, OrderType, SymbolInfo } from '@blotter/schemas';
import { dec, str } from '../money.ts';

/** "Algo" orders in Binance's sense: the stop and take-profit types. */
export const isAlgoOrder = (type: OrderType): boolean => type.startsWith('STOP_LOSS') || type.startsWith('TAKE_PROFIT');

/** A count limit concerns no single field of the order. */
export interface OpenOrdersFailure {
  filter: Extract<FilterName, 'MAX_NUM_ORDERS' | 'MAX_NUM_ALGO_ORDERS' | 'EXCHANGE_MAX_NUM_ORDERS' | 'EXCHANGE_MAX_NUM_ALGO_ORDERS'>;
  field: null;
  reason: string;
}

/** The account's open orders before the new one: on the order's symbol, and on the whole venue. */
export interface OpenOrderCounts {
  onSymbol: number;
  algoOnSymbol: number;
  onVenue: number;
  algoOnVenue: number;
}

/** Whether one more order of `type` fits the venue's open-order limits; the first limit it breaks, or null. */
export function checkOpenOrders(info: SymbolInfo, type: OrderType, open: OpenOrderCounts): OpenOrdersFailure | null {
  const algo = isAlgoOrder(type);
  const limits: [OpenOrdersFailure['filter'], number | undefined, number, string][] = [
    ['MAX_NUM_ORDERS', info.maxNumOrders, open.onSymbol, `orders on ${info.symbol}`],
    ['MAX_NUM_ALGO_ORDERS', algo ? info.maxNumAlgoOrders : undefined, open.algoOnSymbol, `stop orders on ${info.symbol}`],
    ['EXCHANGE_MAX_NUM_ORDERS', info.exchangeMaxNumOrders, open.onVenue, 'orders on the venue'],
    ['EXCHANGE_MAX_NUM_ALGO_ORDERS', algo ? info.exchangeMaxNumAlgoOrders : undefined, open.algoOnVenue, 'stop orders on the venue'],
  ];
  for (const [filter, max, count, what] of limits) {
    if (max !== undefined && count + 1 > max) return { filter, field: null, reason: `${count} ${what} are open; the venue allows ${max}` };
  }
  return null;
}

export interface MaxPositionFailure {
  filter: 'MAX_POSITION';
  field: 'quantity';
  reason: string;
}

/**
 * MAX_POSITION: a BUY may not take the position (free + locked base, plus every open BUY's
 * quantity) beyond maxPosition. SELLs are not limited.
 */
export function checkMaxPosition(
  info: SymbolInfo,
  order: { side: 'BUY' | 'SELL'; quantity: string },
  held: { base: string; openBuyQuantity: string },
): MaxPositionFailure | null {
  if (order.side !== 'BUY' || info.maxPosition === undefined) return null;
  const after = dec(held.base).plus(held.openBuyQuantity).plus(order.quantity);
  if (after.lte(info.maxPosition)) return null;
  return {
    filter: 'MAX_POSITION',
    field: 'quantity',
    reason: `buying ${order.quantity} would make the ${info.baseAsset} position ${str(after)}; the venue allows at most ${info.maxPosition}`,
  };
}
