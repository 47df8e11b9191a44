import type { Big } from '../decimal.ts';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'MARKET' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT' | 'LIMIT_MAKER';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH' | 'REJECTED';
export type RespType = 'ACK' | 'RESULT' | 'FULL';
export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'REJECTED' | 'REPLACED' | 'TRADE_PREVENTION';
/** Binance's `expiryReason` / `eR`, for the expiries this engine produces. */
export type ExpiryReason = 'INSUFFICIENT_LIQUIDITY' | 'UNFILLED_IOC_QUANTITY_EXPIRED' | 'UNFILLED_FOK_ORDER_EXPIRED';

export const ORDER_TYPES: readonly OrderType[] = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'EXPIRED',
  'EXPIRED_IN_MATCH',
  'REJECTED',
];
/** TRANSFER needs trade groups of several accounts, which the simulator does not have. */
export const STP_MODES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'] as const;
export type StpMode = (typeof STP_MODES)[number];
export const DEFAULT_STP_MODE: StpMode = 'EXPIRE_MAKER';

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
  /** Quantity expired by self-trade prevention over the order's life. */
  preventedQty: Big;
  /** The last prevented match this order took part in. */
  preventedMatchId?: number;
  status: OrderStatus;
  time: number;
  updateTime: number;
  /** -1 while a stop order waits for its trigger, as Binance reports it. */
  workingTime: number;
  selfTradePreventionMode: StpMode;
  expiryReason?: ExpiryReason;
  /** Funds still reserved for this order (quote for BUY, base for SELL); zero once closed. */
  locked: Big;
  /** The per-unit price the quote lock was taken at, so a fill at a better price refunds the difference. */
  lockPrice?: Big;
  /** Time priority in the book: set when the order first rests; an amend keeps it. */
  bookSeq: number;
  amendCount: number;
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

/** A match that self-trade prevention stopped (GET /api/v3/myPreventedMatches). */
export interface PreventedMatch {
  symbol: string;
  preventedMatchId: number;
  takerOrderId: number;
  makerOrderId: number;
  selfTradePreventionMode: StpMode;
  price: Big;
  /** Only for the modes that take quantity off the taker (EXPIRE_TAKER, EXPIRE_BOTH, DECREMENT). */
  takerPreventedQuantity?: Big;
  /** Only for the modes that take quantity off the maker (EXPIRE_MAKER, EXPIRE_BOTH, DECREMENT). */
  makerPreventedQuantity?: Big;
  transactTime: number;
}

export const isStop = (t: OrderType): boolean => t.startsWith('STOP_LOSS') || t.startsWith('TAKE_PROFIT');
export const isLimitLike = (t: OrderType): boolean => t.includes('LIMIT');
/** MARKET and the stop types that become MARKET orders when they trigger. */
export const isMarketLike = (t: OrderType): boolean => !isLimitLike(t);
export const isOpen = (o: Order): boolean => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
/** What the order can still trade: original − executed − prevented. */
export const remainingOf = (o: Order): Big => o.origQty.minus(o.executedQty).minus(o.preventedQty);
