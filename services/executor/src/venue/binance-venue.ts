// VenueClient on Binance Spot (the public testnet, or Blotter's simulator for paper accounts),
// through node-binance-api. See binance-client.ts for where it points and why the timeouts are what
// they are, errors.ts for how failures are classified, user-data.ts for the stream.
import { dec } from '@blotter/orders';
import type { SymbolInfo } from '@blotter/schemas';
import { type BinanceVenueOptions, createLibraryClient, resolveTimeouts, type SpotApi, spotApi } from './binance-client.ts';
import { DEFAULT_EXCHANGE_INFO_TTL_MS, ExchangeInfoCache } from './exchange-info.ts';
import { FeeRates } from './fee-rates.ts';
import { type Logger, silentLogger } from '@blotter/eventstore/logger';
import { decimal, reportFromCancel, reportFromNewOrder, reportFromOrder, symbolInfoFrom } from './mapping.ts';
import { assertValidOrderRequest } from './order-request.ts';
import { DEFAULT_RATE_LIMIT_BACKOFF, RateLimitGate } from './rate-limit.ts';
import { RestCaller } from './rest.ts';
import {
  type VenueBalance,
  type VenueClient,
  type VenueOrderReport,
  type VenueOrderRequest,
  VenueRejectedError,
  VenueUnknownOutcomeError,
} from './types.ts';
import { DEFAULT_USER_DATA, type UserDataHandlers, UserDataStream } from './user-data.ts';
import { type ExchangeInfo, MalformedVenueAnswerError, type MyTrade, parse } from './wire.ts';

/** myTrades pages hold at most 1000 trades; an order with more is read page by page. */
const TRADES_PAGE = 1000;
const MAX_TRADE_PAGES = 50;

/** Called after close(): the client has released its connections and will not open new ones. */
export class VenueClosedError extends Error {
  override readonly name = 'VenueClosedError';
}

/** The library keeps one user-data connection per client; a second subscribe() must wait for the first to end. */
export class AlreadySubscribedError extends Error {
  override readonly name = 'AlreadySubscribedError';
}

/**
 * Creates the venue client and measures the venue's clock offset (so the first signed request is
 * not refused with -1021). Fails with VenueUnavailableError when the venue cannot be reached.
 */
export async function createBinanceVenue(options: BinanceVenueOptions): Promise<VenueClient> {
  const log = options.log ?? silentLogger;
  const { recvWindowMs, timeoutMs } = resolveTimeouts(options);
  const client = createLibraryClient(options, timeoutMs, log);
  const api = spotApi(client, recvWindowMs);
  const rest = new RestCaller(api, new RateLimitGate(options.rateLimitBackoff ?? DEFAULT_RATE_LIMIT_BACKOFF), log);
  await rest.syncTime();
  const exchangeInfo = new ExchangeInfoCache(
    () =>
      rest.call(
        'exchangeInfo',
        () => api.exchangeInfo(),
        (raw) => tradableSymbols(parse.exchangeInfo(raw), log),
      ),
    options.exchangeInfoTtlMs ?? DEFAULT_EXCHANGE_INFO_TTL_MS,
    log,
  );
  const startStream = (handlers: UserDataHandlers) =>
    new UserDataStream(client, handlers, { ...DEFAULT_USER_DATA, ...options.userData, attemptTimeoutMs: timeoutMs }, log);
  const feeRates = new FeeRates(
    {
      symbols: () => exchangeInfo.get(),
      price: (symbol) =>
        rest.call(
          `tickerPrice ${symbol}`,
          () => api.tickerPrice(symbol),
          (raw) => {
            const ticker = parse.tickerPrice(raw);
            if (ticker.symbol !== symbol) throw new MalformedVenueAnswerError(`ticker price for ${ticker.symbol}, asked for ${symbol}`);
            return decimal(ticker.price);
          },
        ),
    },
    log,
  );
  return new BinanceVenue(api, rest, exchangeInfo, startStream, feeRates, log);
}

/** Symbols that are trading and fit SymbolInfo; the others are skipped (and logged), not fatal. */
function tradableSymbols(info: ExchangeInfo, log: Logger): SymbolInfo[] {
  const symbols: SymbolInfo[] = [];
  const skipped: Record<string, string> = {};
  for (const s of info.symbols) {
    if (s.status !== 'TRADING') continue;
    const mapped = symbolInfoFrom(s);
    if (typeof mapped === 'string') skipped[s.symbol] = mapped;
    else symbols.push(mapped);
  }
  if (Object.keys(skipped).length > 0) log.warn({ skipped }, 'exchangeInfo: symbols skipped');
  return symbols;
}

class BinanceVenue implements VenueClient {
  private closed = false;
  private stream: UserDataStream | null = null;

  constructor(
    private readonly api: SpotApi,
    private readonly rest: RestCaller,
    private readonly symbols: ExchangeInfoCache,
    private readonly newStream: (handlers: UserDataHandlers) => UserDataStream,
    private readonly feeRates: FeeRates,
    private readonly log: Logger,
  ) {}

  async placeOrder(req: VenueOrderRequest): Promise<VenueOrderReport> {
    this.assertOpen();
    assertValidOrderRequest(req);
    const report = await this.rest.call(
      `placeOrder ${req.clientOrderId}`,
      () => this.api.newOrder(req),
      (raw) => reportFromNewOrder(parse.newOrder(raw)),
    );
    if (report.clientOrderId !== req.clientOrderId || report.symbol !== req.symbol) {
      throw new VenueUnknownOutcomeError(
        `placeOrder ${req.clientOrderId}: the venue answered for ${report.symbol} ${report.clientOrderId}`,
      );
    }
    // The order is placed; if its fee cannot be priced now this fails as unavailable, and the
    // executor's lookup-before-resend records the order (with the rate) later instead.
    return this.feeRates.withRates(report);
  }

  async queryOrder(symbol: string, clientOrderId: string): Promise<VenueOrderReport | null> {
    this.assertOpen();
    let order: ReturnType<typeof parse.order>;
    try {
      order = await this.rest.call(`queryOrder ${clientOrderId}`, () => this.api.queryOrder(symbol, clientOrderId), parse.order);
    } catch (err) {
      if (err instanceof VenueRejectedError && err.code === -2013) return null;
      throw err;
    }
    // No execution, no trades: spare the request (myTrades weighs 5).
    const trades = dec(order.executedQty).gt(0) ? await this.tradesOf(symbol, order.orderId) : [];
    return this.feeRates.withRates(reportFromOrder(order, trades));
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<VenueOrderReport> {
    this.assertOpen();
    return this.rest.call(
      `cancelOrder ${clientOrderId}`,
      () => this.api.cancelOrder(symbol, clientOrderId),
      (raw) => reportFromCancel(parse.canceled(raw), this.rest.venueNow()),
    );
  }

  async openOrders(symbol?: string): Promise<VenueOrderReport[]> {
    this.assertOpen();
    const orders = await this.rest.call(`openOrders ${symbol ?? '(all symbols)'}`, () => this.api.openOrders(symbol), parse.orders);
    return orders.map((o) => reportFromOrder(o));
  }

  exchangeInfo(): Promise<SymbolInfo[]> {
    this.assertOpen();
    return this.symbols.get();
  }

  async balances(): Promise<VenueBalance[]> {
    this.assertOpen();
    const account = await this.rest.call('balances', () => this.api.account(), parse.account);
    return account.balances
      .filter((b) => dec(b.free).plus(b.locked).gt(0))
      .map((b) => ({ asset: b.asset, free: dec(b.free).toFixed(), locked: dec(b.locked).toFixed() }));
  }

  async subscribe(handlers: UserDataHandlers): Promise<() => Promise<void>> {
    this.assertOpen();
    if (this.stream) throw new AlreadySubscribedError('this venue client already has a user-data subscription');
    const stream = this.newStream(this.pricedInOrder(handlers));
    this.stream = stream;
    try {
      await stream.start();
    } catch (err) {
      this.stream = null;
      throw err;
    }
    return async () => {
      if (this.stream === stream) this.stream = null;
      await stream.stop();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const stream = this.stream;
    this.stream = null;
    await stream?.stop();
  }

  /**
   * The handlers with each report's fee rates added first. Reports stay in the order they arrived
   * (a fill must not be recorded after the cancel that followed it); a report that cannot be priced
   * is dropped with a warning: the poll of the order finds its fill again.
   */
  private pricedInOrder(handlers: UserDataHandlers): UserDataHandlers {
    let queue = Promise.resolve();
    return {
      ...handlers,
      onReport: (report) => {
        queue = queue.then(async () => {
          try {
            handlers.onReport(await this.feeRates.withRates(report));
          } catch (err) {
            this.log.warn({ err, clientOrderId: report.clientOrderId }, 'a user-data report could not be priced; the next poll records it');
          }
        });
      },
    };
  }

  /** Every trade of one order, oldest first (symbol + orderId + fromId is a documented myTrades combination). */
  private async tradesOf(symbol: string, orderId: number): Promise<MyTrade[]> {
    const trades: MyTrade[] = [];
    let fromId = 0;
    for (let page = 0; page < MAX_TRADE_PAGES; page++) {
      const batch = await this.rest.call(
        `myTrades ${symbol} #${orderId}`,
        () => this.api.myTrades(symbol, orderId, fromId, TRADES_PAGE),
        parse.trades,
      );
      trades.push(...batch);
      const last = batch.at(-1);
      if (batch.length < TRADES_PAGE || !last || last.id < fromId) break;
      fromId = last.id + 1;
    }
    return trades;
  }

  private assertOpen(): void {
    if (this.closed) throw new VenueClosedError('the venue client is closed');
  }
}
