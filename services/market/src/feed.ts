// The market feed. Every tick (default 1 s) it reads all prices in one request and announces each
// symbol's ticker and the current candle of every interval (the candle's high/low/close follow the
// price between the slower refreshes of the candles themselves). It answers symbols, candles and
// ticker requests for the gateways. A failing venue call is logged and retried on the next tick;
// the feed never dies of a venue outage.
import type { Logger } from '@blotter/eventstore';
import { dec, maxOf, minOf, str } from '@blotter/orders';
import {
  CANDLE_INTERVALS,
  type Candle,
  CandlesRequest,
  type SymbolInfo,
  subjects as subjectsFor,
  type Ticker,
  TickerRequest,
} from '@blotter/schemas';
import type Binance from 'node-binance-api';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { Compile } from 'typebox/compile';
import { toCandles, toPrice, toSymbols } from './mapping.ts';

const candlesRequest = Compile(CandlesRequest);
const tickerRequest = Compile(TickerRequest);

/** The first thing wrong with a request body, as the error the requester receives. */
function requestError(validator: typeof candlesRequest | typeof tickerRequest, body: unknown): string {
  const [first] = validator.Errors(body);
  return first ? `bad request: ${first.instancePath || '/'} ${first.message}` : 'bad request';
}

export interface FeedOptions {
  nc: NatsConnection;
  namespace: string;
  client: Binance;
  symbols: readonly string[];
  /** Price poll period, ms. */
  tickMs: number;
  /** Candle refresh period (volume and open), ms. */
  candleRefreshMs: number;
  log: Logger;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class MarketFeed {
  private readonly subjects;
  private readonly tickers = new Map<string, Ticker>();
  private readonly current = new Map<string, Candle>();
  private symbolCache: { at: number; list: SymbolInfo[] } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private candleTimer: NodeJS.Timeout | null = null;
  private readonly subs: Subscription[] = [];

  constructor(private readonly o: FeedOptions) {
    this.subjects = subjectsFor(o.namespace, 1);
  }

  async start(): Promise<void> {
    const { nc } = this.o;
    this.subs.push(
      nc.subscribe(this.subjects.marketRpc('symbols'), { callback: (_e, m) => this.answer(m, () => this.symbols()) }),
      nc.subscribe(this.subjects.marketRpc('candles'), { callback: (_e, m) => this.answer(m, (body) => this.candles(body)) }),
      nc.subscribe(this.subjects.marketRpc('ticker'), { callback: (_e, m) => this.answer(m, (body) => this.ticker(body)) }),
    );
    await this.refreshCandles().catch((err) => this.o.log.warn({ err: String(err) }, 'candle refresh failed'));
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.o.tickMs);
    this.candleTimer = setInterval(
      () => void this.refreshCandles().catch((err) => this.o.log.warn({ err: String(err) }, 'candle refresh failed')),
      this.o.candleRefreshMs,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.candleTimer) clearInterval(this.candleTimer);
    for (const s of this.subs) s.unsubscribe();
  }

  private async tick(): Promise<void> {
    let prices: unknown;
    try {
      prices = await this.o.client.prices();
    } catch (err) {
      this.o.log.warn({ err: String(err) }, 'price poll failed');
      return;
    }
    const at = new Date().toISOString();
    for (const symbol of this.o.symbols) {
      const price = toPrice(prices, symbol);
      if (!price) continue;
      const ticker: Ticker = { symbol, price, at };
      this.tickers.set(symbol, ticker);
      this.publish(this.subjects.ticker(symbol), ticker);
      for (const interval of CANDLE_INTERVALS) {
        const key = `${symbol}:${interval}`;
        const candle = this.current.get(key);
        if (!candle) continue;
        const p = dec(price);
        const next = { ...candle, high: str(maxOf(dec(candle.high), p)), low: str(minOf(dec(candle.low), p)), close: price };
        this.current.set(key, next);
        this.publish(this.subjects.candle(symbol, interval), { symbol, interval, candle: next });
      }
    }
  }

  private async refreshCandles(): Promise<void> {
    for (const symbol of this.o.symbols) {
      for (const interval of CANDLE_INTERVALS) {
        const [last] = toCandles(await this.o.client.candlesticks(symbol, interval, { limit: 1 }));
        if (last) this.current.set(`${symbol}:${interval}`, last);
      }
    }
  }

  private async symbols(): Promise<SymbolInfo[]> {
    if (this.symbolCache && Date.now() - this.symbolCache.at < 5 * 60_000) return this.symbolCache.list;
    const list = toSymbols(await this.o.client.exchangeInfo(), this.o.symbols);
    this.symbolCache = { at: Date.now(), list };
    return list;
  }

  private async candles(body: unknown): Promise<Candle[]> {
    if (!candlesRequest.Check(body)) throw new Error(requestError(candlesRequest, body));
    const { symbol, interval, limit = 500 } = body;
    if (!this.o.symbols.includes(symbol)) throw new Error('unknown symbol');
    const list = toCandles(await this.o.client.candlesticks(symbol, interval, { limit }));
    // The live current candle is fresher than the venue's copy from the last refresh.
    const live = this.current.get(`${symbol}:${interval}`);
    const last = list[list.length - 1];
    if (live && last && live.openTime === last.openTime)
      list[list.length - 1] = { ...last, high: live.high, low: live.low, close: live.close };
    return list;
  }

  private async ticker(body: unknown): Promise<Ticker | null> {
    if (!tickerRequest.Check(body)) throw new Error(requestError(tickerRequest, body));
    return this.tickers.get(body.symbol) ?? null;
  }

  private publish(subject: string, value: unknown): void {
    this.o.nc.publish(subject, encoder.encode(JSON.stringify(value)));
  }

  /** Request/reply: the reply is the value, or `{error: {message}}`; a bad request never crashes. */
  private async answer(msg: Msg, fn: (body: unknown) => Promise<unknown>): Promise<void> {
    let body: unknown = null;
    try {
      body = msg.data.length ? JSON.parse(decoder.decode(msg.data)) : null;
      msg.respond(encoder.encode(JSON.stringify(await fn(body))));
    } catch (err) {
      msg.respond(encoder.encode(JSON.stringify({ error: { message: err instanceof Error ? err.message : String(err) } })));
    }
  }
}
