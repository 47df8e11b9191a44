import type { Big } from '../decimal.ts';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'MARKET' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT' | 'LIMIT_MAKER';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';
export type RespType = 'ACK' | 'RESULT' | 'FULL';
export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'REJECTED';

export const ORDER_TYPES: readonly OrderType[] = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];
export const STP_MODES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'] as const;
export type StpMode = (typeof STP_MODES)[number];

/** A validated new-order request, as the matching engine sees it. */
export interface NewOrder {
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce?: TimeInForce;
  quantity?: Big;
  quoteOrderQty?: Big;
  price?: Big;
  stopPrice?: Big;
  newClientOrderId?: string;
  newOrderRespType: RespType;
  selfTradePreventionMode: StpMode;
}

export interface Order {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  price: Big;
  stopPrice: Big;
  origQty: Big;
  origQuoteOrderQty: Big;
  executedQty: Big;
  cummulativeQuoteQty: Big;
  status: OrderStatus;
  time: number;
  updateTime: number;
  /** -1 while a stop order waits for its trigger, as Binance reports it. */
  workingTime: number;
  selfTradePreventionMode: StpMode;
  /** Funds still reserved for this order (quote for BUY, base for SELL); zero once closed. */
  locked: Big;
  /** The per-unit price the quote lock was taken at, so a fill at a better price refunds the difference. */
  lockPrice?: Big;
}

export interface Trade {
  symbol: string;
  id: number;
  orderId: number;
  price: Big;
  qty: Big;
  quoteQty: Big;
  commission: Big;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export const isStop = (t: OrderType): boolean => t.startsWith('STOP_LOSS') || t.startsWith('TAKE_PROFIT');
export const isLimitLike = (t: OrderType): boolean => t.includes('LIMIT');
export const isOpen = (o: Order): boolean => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
