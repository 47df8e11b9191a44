// node-binance-api, configured for one Blotter venue and narrowed to the calls the adapter makes.
//
// Where it points:
// - kind 'binance-testnet': `test: true` switches the library to its built-in Spot testnet endpoints
//   (REST https://testnet.binance.vision/api/, WebSocket API wss://ws-api.testnet.binance.vision/ws-api/v3).
//   In that mode the library ignores `urls.base`, so baseUrl / wsApiUrl are refused rather than
//   silently ignored. `testnetUrl` (BINANCE_TESTNET_URL) names a Binance-compatible stand-in for the
//   testnet (the tests' exchange simulator); it is then reached exactly as a paper venue is.
// - kind 'paper': Blotter's exchange simulator, which speaks the same API. `test: false` with
//   `urls.base = <baseUrl>/api/` (the library appends "v3/order" ...); the WebSocket API URL is not a
//   constructor option in 1.0.33, so the instance field `wsApi` is assigned. The market-stream URLs
//   are pointed at the simulator too, so a paper account cannot reach the real exchange by accident.
//
// Timeouts: the library aborts every HTTP request after `Options.recvWindow` ms and also sends that
// value as recvWindow unless a request carries its own. The adapter separates the two: the library
// option holds the HTTP timeout, and every signed call sends the Binance recvWindow explicitly.
// Binance refuses a signed request it gets later than timestamp + recvWindow, so with a timeout of at
// least recvWindow (plus a margin for the clock offset) an order we stopped waiting for has either
// been executed already or will not be: the follow-up query by client order id is conclusive.
import Binance from 'node-binance-api';
import { VenueConfigError } from './errors.ts';
import type { Logger } from '@blotter/eventstore/logger';
import type { VenueOrderRequest } from './types.ts';

export interface BinanceVenueOptions {
  apiKey: string;
  apiSecret: string;
  kind: 'paper' | 'binance-testnet';
  /** paper only, required: the simulator's root URL, e.g. "http://127.0.0.1:3002". */
  baseUrl?: string;
  /** binance-testnet only: a stand-in for Binance's Spot testnet (root URL); default the real testnet. */
  testnetUrl?: string;
  /** paper only: the WebSocket API URL; default `ws://<baseUrl host>/ws-api/v3`. */
  wsApiUrl?: string;
  /** recvWindow sent with every signed request (ms, default 5000, Binance's maximum is 60000). */
  recvWindowMs?: number;
  /** HTTP timeout of each request (ms, default recvWindowMs + 5000); at least recvWindowMs. */
  timeoutMs?: number;
  /** How long exchangeInfo() serves its cached copy (ms, default 15 minutes). */
  exchangeInfoTtlMs?: number;
  /** Wait after a rate limit without a ban time, doubling per consecutive limit (default 10 s → 120 s). */
  rateLimitBackoff?: { initialMs: number; maxMs: number };
  /** User-data stream: ping interval of the liveness check and reconnect backoff (defaults 30 s, 0.5 s → 30 s). */
  userData?: { heartbeatMs?: number; reconnectInitialMs?: number; reconnectMaxMs?: number };
  log?: Logger;
}

export interface ResolvedOptions {
  recvWindowMs: number;
  timeoutMs: number;
}

const DEFAULT_RECV_WINDOW_MS = 5_000;
const TIMEOUT_MARGIN_MS = 5_000;

export function resolveTimeouts(options: BinanceVenueOptions): ResolvedOptions {
  const recvWindowMs = options.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS;
  const timeoutMs = options.timeoutMs ?? recvWindowMs + TIMEOUT_MARGIN_MS;
  if (!Number.isInteger(recvWindowMs) || recvWindowMs < 1 || recvWindowMs > 60_000) {
    throw new VenueConfigError(`recvWindowMs must be an integer in 1..60000, got ${recvWindowMs}`);
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < recvWindowMs) {
    throw new VenueConfigError(`timeoutMs (${timeoutMs}) must be an integer of at least recvWindowMs (${recvWindowMs})`);
  }
  return { recvWindowMs, timeoutMs };
}

/** The library instance, pointed at the venue the options name. */
export function createLibraryClient(options: BinanceVenueOptions, timeoutMs: number, log: Logger): Binance {
  if (!options.apiKey || !options.apiSecret) throw new VenueConfigError('apiKey and apiSecret are required');
  const common = {
    APIKEY: options.apiKey,
    APISECRET: options.apiSecret,
    recvWindow: timeoutMs,
    // Never `useServerTime: true` here: the constructor would start that request without awaiting it
    // (an unhandled rejection when it fails). The adapter awaits client.useServerTime() itself.
    log: (...args: unknown[]) => log.debug?.({ source: 'node-binance-api' }, args.map(String).join(' ')),
  };
  let baseUrl = options.baseUrl;
  if (options.kind === 'binance-testnet') {
    if (options.baseUrl || options.wsApiUrl)
      throw new VenueConfigError('binance-testnet uses the library’s testnet URLs (or testnetUrl); baseUrl/wsApiUrl are for paper');
    if (options.testnetUrl === undefined || isBinanceTestnet(options.testnetUrl))
      return withoutLibraryReconnect(new Binance({ ...common, test: true }));
    baseUrl = options.testnetUrl;
  } else if (options.testnetUrl !== undefined) {
    throw new VenueConfigError('testnetUrl is for binance-testnet keys; a paper venue takes baseUrl');
  }
  if (!baseUrl) throw new VenueConfigError('a paper venue needs baseUrl (the simulator, e.g. http://127.0.0.1:3002)');
  const root = baseUrl.replace(/\/+$/, '');
  const ws = root.replace(/^http/, 'ws');
  const client = new Binance({
    ...common,
    test: false,
    urls: { base: `${root}/api/`, stream: `${ws}/ws/`, combineStream: `${ws}/stream?streams=` },
  });
  client.wsApi = options.wsApiUrl ?? `${ws}/ws-api/v3`;
  return withoutLibraryReconnect(client);
}

/** Binance's own Spot testnet: the library's built-in URLs serve it (REST and WebSocket API). */
export const BINANCE_TESTNET_URL = 'https://testnet.binance.vision';
const isBinanceTestnet = (url: string): boolean => url.replace(/\/+$/, '') === BINANCE_TESTNET_URL;

/**
 * The library reconnects a dropped WebSocket API connection at once and without limit (against a
 * venue that refuses connections that is hundreds of attempts a second), and after a failed
 * subscription it re-subscribes from an untracked 5 s timer. user-data.ts reconnects with backoff
 * instead, so the library's own reconnects are switched off. (The constructor turns a false
 * `reconnect` option back into true, hence the assignment afterwards.)
 */
function withoutLibraryReconnect(client: Binance): Binance {
  client.Options.reconnect = false;
  return client;
}

/**
 * The one type escape for amounts: node-binance-api declares quantity and price as `number`, but it
 * only ever stringifies them into the request (makeQueryString → encodeURIComponent). Handing it the
 * exact decimal string keeps "0.00000010" from becoming "1e-7" and float noise off the wire.
 */
const exactDecimal = (value: string): number => value as unknown as number;

/** Same for the order type: the library's OrderType union lacks the spot STOP_LOSS_LIMIT / TAKE_PROFIT_LIMIT it handles fine. */
const libraryOrderType = (type: VenueOrderRequest['type']): 'LIMIT' | 'MARKET' => type as 'LIMIT' | 'MARKET';

/** The venue calls, each answering the venue's raw JSON (unknown until wire.ts has checked it). */
export interface SpotApi {
  useServerTime(): Promise<unknown>;
  /** Venue clock minus local clock, as measured by the last useServerTime (ms). */
  timeOffsetMs(): number;
  newOrder(req: VenueOrderRequest): Promise<unknown>;
  queryOrder(symbol: string, clientOrderId: string): Promise<unknown>;
  cancelOrder(symbol: string, clientOrderId: string): Promise<unknown>;
  openOrders(symbol: string | undefined): Promise<unknown>;
  myTrades(symbol: string, orderId: number, fromId: number, limit: number): Promise<unknown>;
  account(): Promise<unknown>;
  exchangeInfo(): Promise<unknown>;
  /** GET /api/v3/ticker/price for one symbol, as sent (the library's prices() would parse it into a float). */
  tickerPrice(symbol: string): Promise<unknown>;
}

export function spotApi(client: Binance, recvWindowMs: number): SpotApi {
  const recvWindow = recvWindowMs;
  return {
    useServerTime: () => client.useServerTime(),
    timeOffsetMs: () => client.timeOffset,
    newOrder: (req) => {
      const params: Record<string, string | number> = {
        newClientOrderId: req.clientOrderId,
        newOrderRespType: 'FULL',
        recvWindow,
      };
      if (req.timeInForce !== null) params.timeInForce = req.timeInForce;
      // The library's generic order() adds stopPrice for the stop types (and GTC for *LIMIT* types
      // unless timeInForce is given, which it always is for those).
      if (req.stopPrice !== null) params.stopPrice = req.stopPrice;
      const price = req.price === null ? undefined : exactDecimal(req.price);
      return client.order(libraryOrderType(req.type), req.side, req.symbol, exactDecimal(req.quantity), price, params);
    },
    queryOrder: (symbol, clientOrderId) => client.orderStatus(symbol, undefined, { origClientOrderId: clientOrderId, recvWindow }),
    // cancel() takes an orderId first; `orderId: undefined` in the params replaces it, so the request
    // names the order by our client id alone.
    cancelOrder: (symbol, clientOrderId) => client.cancel(symbol, 0, { orderId: undefined, origClientOrderId: clientOrderId, recvWindow }),
    openOrders: (symbol) => client.openOrders(symbol, { recvWindow }),
    myTrades: (symbol, orderId, fromId, limit) => client.myTrades(symbol, { orderId, fromId, limit, recvWindow }),
    account: () => client.account({ omitZeroBalances: 'true', recvWindow }),
    exchangeInfo: () => client.exchangeInfo(),
    tickerPrice: (symbol) => client.publicSpotRequest('v3/ticker/price', { symbol }),
  };
}
