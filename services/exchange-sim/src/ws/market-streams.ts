// Binance market streams: /ws/<stream>[/<stream>…] sends raw payloads, /stream?streams=a/b wraps
// them as {stream, data}; SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY and GET_PROPERTY
// work on either. Trades and aggregate trades go out as they happen (from the tape); the rest on
// Binance's update speeds (100 ms / 1000 ms, klines every 2 s and 1s klines every second).
import type { WebSocket } from 'ws';
import type { AggTrade, PublicTrade } from '../engine/tape.ts';
import type { Simulator } from '../simulator.ts';
import { DepthDiffs } from './depth-diffs.ts';
import {
  aggTradeEvent,
  avgPriceEvent,
  bookTickerEvent,
  klineEvent,
  miniTickerEvent,
  parseStream,
  partialDepthEvent,
  rollingTickerEvent,
  type StreamKind,
  tickerEvent,
  tradeEvent,
} from './stream-payloads.ts';

const LOOP_MS = 100;
const MAX_STREAMS = 1024;

interface StreamConn {
  ws: WebSocket;
  combined: boolean;
  streams: Map<string, StreamKind>;
  /** Open time of the last kline sent per stream, to send the closing (x: true) update. */
  klineOpen: Map<string, number>;
  /** Last bookTicker update id sent per stream: bookTicker goes out on change only. */
  bookSeen: Map<string, number>;
}

export class MarketStreams {
  private readonly conns = new Set<StreamConn>();
  private readonly diffs = new Map<string, DepthDiffs>();
  private timer: NodeJS.Timeout | undefined;
  private loops = 0;
  private readonly unsubscribeTape: () => void;

  constructor(private readonly sim: Simulator) {
    this.unsubscribeTape = sim.exchange.tape.onTrades((symbol, trades, aggs) => this.onTrades(symbol, trades, aggs));
  }

  handle(ws: WebSocket, url: URL): void {
    const combined = url.pathname === '/stream';
    const names = combined ? (url.searchParams.get('streams') ?? '').split('/') : url.pathname.split('/').slice(2);
    const conn: StreamConn = { ws, combined, streams: new Map(), klineOpen: new Map(), bookSeen: new Map() };
    this.subscribe(conn, names);
    this.conns.add(conn);
    ws.on('close', () => this.conns.delete(conn));
    ws.on('message', (data) => this.onControl(conn, String(data)));
    this.timer ??= setInterval(() => this.publish(), LOOP_MS).unref();
  }

  closeAll(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribeTape();
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
  }

  private subscribe(conn: StreamConn, names: string[]): void {
    for (const name of names) {
      if (conn.streams.size >= MAX_STREAMS) return;
      const kind = parseStream(name, (s) => this.sim.market.find(s) !== undefined);
      if (!kind) continue;
      conn.streams.set(name, kind);
      if (kind.kind === 'diffDepth' && !this.diffs.has(kind.symbol)) {
        this.sim.exchange.sync(kind.symbol, this.sim.now());
        this.diffs.set(kind.symbol, new DepthDiffs(this.sim.exchange.book(kind.symbol)));
      }
    }
  }

  private onControl(conn: StreamConn, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      conn.ws.send(JSON.stringify({ code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }));
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const id = 'id' in msg ? msg.id : null;
    const method = 'method' in msg ? msg.method : undefined;
    const params = 'params' in msg && Array.isArray(msg.params) ? msg.params : [];
    const reply = (result: unknown) => conn.ws.send(JSON.stringify({ result, id }));
    const refuse = (code: number, msg: string, withId = true) => conn.ws.send(JSON.stringify(withId ? { code, msg, id } : { code, msg }));
    switch (method) {
      case 'SUBSCRIBE':
        this.subscribe(conn, params.map(String));
        reply(null);
        break;
      case 'UNSUBSCRIBE':
        for (const n of params.map(String)) conn.streams.delete(n);
        reply(null);
        break;
      case 'LIST_SUBSCRIPTIONS':
        reply([...conn.streams.keys()]);
        break;
      case 'SET_PROPERTY':
        if (params[0] !== 'combined') refuse(0, 'Unknown property');
        else if (typeof params[1] !== 'boolean') refuse(1, 'Invalid value type: expected Boolean', false);
        else {
          conn.combined = params[1];
          reply(null);
        }
        break;
      case 'GET_PROPERTY':
        if (params[0] !== 'combined') refuse(0, 'Unknown property');
        else reply(conn.combined);
        break;
      default:
        refuse(
          2,
          `Invalid request: unknown variant ${String(method)}, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, \`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\``,
        );
    }
  }

  private onTrades(symbol: string, trades: PublicTrade[], aggs: AggTrade[]): void {
    if (this.conns.size === 0) return;
    const now = this.sim.now();
    for (const conn of this.conns) {
      for (const [name, s] of conn.streams) {
        if (s.kind === 'trade' && s.symbol === symbol) for (const t of trades) this.send(conn, name, tradeEvent(symbol, t, now));
        if (s.kind === 'aggTrade' && s.symbol === symbol) for (const a of aggs) this.send(conn, name, aggTradeEvent(symbol, a, now));
      }
    }
  }

  private publish(): void {
    this.loops += 1;
    const now = this.sim.now();
    const everySecond = this.loops % 10 === 0;
    const everyTwoSeconds = this.loops % 20 === 0;
    for (const symbol of new Set(
      [...this.conns].flatMap((c) => [...c.streams.values()].flatMap((s) => ('symbol' in s ? [s.symbol] : []))),
    )) {
      this.sim.exchange.sync(symbol, now);
    }
    const diffEvents = new Map<string, unknown>();
    for (const [symbol, d] of this.diffs) {
      diffEvents.set(`${symbol}:fast`, d.take(true, now));
      if (everySecond) diffEvents.set(`${symbol}:slow`, d.take(false, now));
    }
    for (const conn of this.conns) {
      for (const [name, s] of conn.streams) {
        switch (s.kind) {
          case 'trade':
          case 'aggTrade':
            break;
          case 'bookTicker': {
            const book = this.sim.exchange.book(s.symbol);
            if (conn.bookSeen.get(name) === book.updateId) break;
            conn.bookSeen.set(name, book.updateId);
            this.send(conn, name, bookTickerEvent(book));
            break;
          }
          case 'depth':
            if (s.fast || everySecond) this.send(conn, name, partialDepthEvent(this.sim.exchange.book(s.symbol), s.levels));
            break;
          case 'diffDepth':
            if (s.fast || everySecond) this.send(conn, name, diffEvents.get(`${s.symbol}:${s.fast ? 'fast' : 'slow'}`));
            break;
          case 'kline':
            if (s.interval.name === '1s' ? everySecond : everyTwoSeconds) this.sendKline(conn, name, s.symbol, s, now);
            break;
          case 'ticker':
            if (everySecond) this.send(conn, name, tickerEvent(this.sim, s.symbol, now));
            break;
          case 'miniTicker':
            if (everySecond) this.send(conn, name, miniTickerEvent(this.sim, s.symbol, now));
            break;
          case 'rollingTicker':
            if (everySecond) this.send(conn, name, rollingTickerEvent(this.sim, s.symbol, s.window, now));
            break;
          case 'avgPrice':
            if (everySecond) this.send(conn, name, avgPriceEvent(this.sim, s.symbol, now));
            break;
          case 'allMiniTickers':
            if (everySecond)
              this.send(
                conn,
                name,
                this.sim.market.symbols().map((sym) => miniTickerEvent(this.sim, sym, now)),
              );
            break;
          default: {
            const never: never = s;
            throw new Error(`unknown stream ${String(never)}`);
          }
        }
      }
    }
  }

  private sendKline(conn: StreamConn, name: string, symbol: string, s: Extract<StreamKind, { kind: 'kline' }>, now: number): void {
    const open = s.interval.openAt(now);
    const previous = conn.klineOpen.get(name);
    if (previous !== undefined && previous !== open) this.send(conn, name, klineEvent(this.sim, symbol, s.interval, previous, now, true));
    conn.klineOpen.set(name, open);
    this.send(conn, name, klineEvent(this.sim, symbol, s.interval, open, now, false));
  }

  private send(conn: StreamConn, stream: string, data: unknown): void {
    if (data === undefined || conn.ws.readyState !== conn.ws.OPEN) return;
    conn.ws.send(JSON.stringify(conn.combined ? { stream, data } : data));
  }
}
