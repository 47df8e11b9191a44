// Market data for the gateway, from the market feed over NATS. What an order decision needs is held
// in memory so that placing an order waits on nothing but its append: the symbols' filters (read
// at start and refreshed in the background) and the tickers (the feed's announcements, kept as the
// mark prices for pre-trade checks and PnL). Candles are asked for by request/reply.
// Every payload is validated: a malformed message is dropped, never trusted.
import { Candle, type CandleInterval, MarketRpcError, SymbolInfo, type Subjects, Ticker } from '@blotter/schemas';
import type { NatsConnection, Subscription } from 'nats';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { HttpError } from '../errors.ts';

const SymbolList = Compile(Type.Array(SymbolInfo));
const CandleList = Compile(Type.Array(Candle));
const TickerCheck = Compile(Ticker);
const rpcError = Compile(MarketRpcError);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Symbols are re-read in the background this often (exchange filters change rarely). */
const SYMBOLS_REFRESH_MS = 60_000;

export class MarketData {
  private symbolsCache: { list: SymbolInfo[]; bySymbol: Map<string, SymbolInfo> } | null = null;
  private loading: Promise<SymbolInfo[]> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly tickers = new Map<string, Ticker>();
  private sub: Subscription | null = null;
  private readonly listeners = new Set<(t: Ticker) => void>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: Subjects,
  ) {}

  start(): void {
    this.sub = this.nc.subscribe(this.subjects.allTickers, {
      callback: (err, msg) => {
        if (err) return;
        const ticker = parse(msg.data);
        if (!TickerCheck.Check(ticker)) return;
        this.tickers.set(ticker.symbol, ticker);
        for (const l of this.listeners) l(ticker);
      },
    });
    // Loaded now so the first order does not wait for it; a failure here (the feed not up yet) is
    // retried by the first caller and by the refresh.
    this.loadSymbols().catch(() => {});
    this.timer = setInterval(() => this.loadSymbols().catch(() => {}), SYMBOLS_REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    this.sub?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  onTicker(listener: (t: Ticker) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every symbol with its filters, from memory (asking the feed only until it first answered). */
  async symbols(): Promise<SymbolInfo[]> {
    return this.symbolsCache?.list ?? (await this.loadSymbols());
  }

  async symbol(symbol: string): Promise<SymbolInfo | null> {
    if (!this.symbolsCache) await this.loadSymbols();
    return this.symbolsCache?.bySymbol.get(symbol) ?? null;
  }

  /** The price a pre-trade check values an order at: a MARKET order needs one (asked for once if none was announced yet). */
  async markPriceFor(symbol: string, type: string): Promise<string | null> {
    if (type !== 'MARKET') return this.markPrice(symbol);
    const ticker = await this.ticker(symbol).catch(() => null);
    return ticker?.price ?? this.markPrice(symbol);
  }

  private loadSymbols(): Promise<SymbolInfo[]> {
    this.loading ??= this.request(this.subjects.marketRpc('symbols'), {}, (v) => SymbolList.Check(v))
      .then((list) => {
        this.symbolsCache = { list, bySymbol: new Map(list.map((s) => [s.symbol, s])) };
        return list;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  /** The last price seen for a symbol, asking the feed once if none was announced yet. */
  async ticker(symbol: string): Promise<Ticker | null> {
    const known = this.tickers.get(symbol);
    if (known) return known;
    const fresh = await this.request(
      this.subjects.marketRpc('ticker'),
      { symbol },
      (v): v is Ticker | null => v === null || TickerCheck.Check(v),
    );
    if (fresh) this.tickers.set(symbol, fresh);
    return fresh;
  }

  markPrice(symbol: string): string | null {
    return this.tickers.get(symbol)?.price ?? null;
  }

  candles(symbol: string, interval: CandleInterval, limit: number): Promise<Candle[]> {
    return this.request(this.subjects.marketRpc('candles'), { symbol, interval, limit }, (v) => CandleList.Check(v));
  }

  private async request<T>(subject: string, body: unknown, check: (v: unknown) => v is T): Promise<T> {
    let reply: Uint8Array;
    try {
      reply = (await this.nc.request(subject, encoder.encode(JSON.stringify(body)), { timeout: 5000 })).data;
    } catch {
      throw new HttpError('SERVICE_UNAVAILABLE', 'market data is unavailable right now; is the market feed running?');
    }
    const value = parse(reply);
    if (check(value)) return value;
    const said = rpcError.Check(value) ? value.error.message : 'an invalid reply';
    throw new HttpError('SERVICE_UNAVAILABLE', `market feed answered: ${said}`);
  }
}

function parse(data: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch {
    return null;
  }
}

export type { CandleInterval };
