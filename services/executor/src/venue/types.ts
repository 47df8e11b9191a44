// The executor's view of a trading venue. One implementation wraps node-binance-api for Binance
// Spot (testnet or the simulator, which speaks the same API); the executor never sees the library.
import type { SymbolInfo, VenueFill, VenueOrderStatus } from '@blotter/schemas';

export interface VenueOrderRequest {
  symbol: string;
  side: 'BUY' | 'SELL';
  type: 'MARKET' | 'LIMIT' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT_LIMIT';
  /** Exact decimal strings, already on the symbol's step/tick grid. */
  quantity: string;
  price: string | null;
  stopPrice: string | null;
  timeInForce: 'GTC' | 'IOC' | 'FOK' | null;
  /** Always Blotter's order id: the key for finding the order again after an unknown outcome. */
  clientOrderId: string;
}

/** What the venue says about one order. Quantities are exact decimal strings. */
export interface VenueOrderReport {
  venueOrderId: string;
  clientOrderId: string;
  symbol: string;
  status: VenueOrderStatus;
  executedQuantity: string;
  cumulativeQuote: string;
  /** Executions known so far (from a FULL response, myTrades, or a user-data event). */
  fills: VenueFill[];
  /** Venue time of the report. */
  at: string;
}

export interface VenueBalance {
  asset: string;
  free: string;
  locked: string;
}

/**
 * A balanceUpdate of the user-data stream: a deposit, withdrawal or transfer (Binance sends it for
 * nothing else; trades move balances only through their fills).
 */
export interface VenueBalanceUpdate {
  asset: string;
  /** Signed change of the asset's balance. */
  delta: string;
  /** Venue time of the change (clear time, `T`), ms. */
  clearTime: number;
  /** Venue time of the event (`E`), ms. */
  eventTime: number;
}

export interface VenueClient {
  /** Places an order (newOrderRespType FULL) and returns the venue's report with its fills. */
  placeOrder(req: VenueOrderRequest): Promise<VenueOrderReport>;
  /**
   * The order as the venue knows it, found by our client order id, with every fill (myTrades);
   * null when the venue does not know it (-2013).
   */
  queryOrder(symbol: string, clientOrderId: string): Promise<VenueOrderReport | null>;
  /** Cancels by client order id; throws VenueRejectedError -2011 when the venue has no open order. */
  cancelOrder(symbol: string, clientOrderId: string): Promise<VenueOrderReport>;
  /** Open orders, optionally of one symbol (without fills). */
  openOrders(symbol?: string): Promise<VenueOrderReport[]>;
  /** The venue's symbols with their filters (cached; refreshed periodically). */
  exchangeInfo(): Promise<SymbolInfo[]>;
  balances(): Promise<VenueBalance[]>;
  /**
   * Follows the account's order updates as they happen (Binance user-data stream over the WebSocket
   * API). `onReport` receives a report per executionReport (fills carry only the new execution);
   * `onReconnect` is called after the stream was lost and re-established, so the caller can poll
   * for what it may have missed. `onBalanceUpdate` receives each balanceUpdate (never
   * outboundAccountPosition: it follows every trade, whose fills are recorded as such). Returns a
   * function that ends the subscription.
   */
  subscribe(handlers: {
    onReport(report: VenueOrderReport): void;
    onReconnect(): void;
    onBalanceUpdate?(update: VenueBalanceUpdate): void;
  }): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The venue refused the request for good (bad params, filters, balance, unknown order...). */
export class VenueRejectedError extends Error {
  override readonly name = 'VenueRejectedError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request may or may not have been executed (timeout, HTTP 5xx, -1007). Never retried blindly:
 * the caller looks the order up by its client order id.
 */
export class VenueUnknownOutcomeError extends Error {
  override readonly name = 'VenueUnknownOutcomeError';
}

/** The venue asks us to slow down (429 / 418 / -1003); nothing was executed. */
export class VenueRateLimitedError extends Error {
  override readonly name = 'VenueRateLimitedError';
  constructor(
    message: string,
    /** How long to stay away, in ms. */
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** The venue could not be reached at all; nothing was sent. Safe to retry later. */
export class VenueUnavailableError extends Error {
  override readonly name = 'VenueUnavailableError';
}
