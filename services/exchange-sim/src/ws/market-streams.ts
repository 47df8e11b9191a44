// Binance market streams: /ws/<stream>[/<stream>...] sends raw payloads, /stream?streams=a/b wraps
// them as {stream, data}; SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS work on either. Supported:
// <symbol>@trade, <symbol>@bookTicker, <symbol>@kline_<interval>.
import type { WebSocket } from 'ws';
import { INTERVALS } from '../market/intervals.ts';
import { findSymbol } from '../market/symbols.ts';
import { TICK } from '../market/time-units.ts';
import type { Simulator } from '../simulator.ts';
import { bookTickerEvent, klineEvent, type StreamKind, tradeEvent } from './stream-payloads.ts';

/** Binance pushes kline updates about once a second, not on every price change. */
const KLINE_EVERY_TICKS = 4;

interface StreamConn {
  ws: WebSocket;
  combined: boolean;
  streams: Map<string, StreamKind>;
  /** Open time of the last kline sent per stream, to send the closing (x: true) update. */
  klineOpen: Map<string, number>;
}

export function parseStream(name: string): StreamKind | undefined {
  const [sym, topic] = name.split('@');
  const symbol = sym?.toUpperCase() ?? '';
  if (!findSymbol(symbol) || !topic) return undefined;
  if (topic === 'trade') return { kind: 'trade', symbol };
  if (topic === 'bookTicker') return { kind: 'bookTicker', symbol };
  const interval = topic.startsWith('kline_') ? INTERVALS.get(topic.slice(6)) : undefined;
  return interval ? { kind: 'kline', symbol, interval } : undefined;
}

export class MarketStreams {
  private readonly conns = new Set<StreamConn>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sim: Simulator) {}

  handle(ws: WebSocket, url: URL): void {
    const combined = url.pathname === '/stream';
    const names = combined ? (url.searchParams.get('streams') ?? '').split('/') : url.pathname.split('/').slice(2);
    const conn: StreamConn = { ws, combined, streams: new Map(), klineOpen: new Map() };
    this.subscribe(conn, names);
    this.conns.add(conn);
    ws.on('close', () => this.conns.delete(conn));
    ws.on('message', (data) => this.onControl(conn, String(data)));
    this.timer ??= setInterval(() => this.publish(), TICK).unref();
  }

  closeAll(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
  }

  private subscribe(conn: StreamConn, names: string[]): void {
    for (const name of names) {
      const kind = parseStream(name);
      if (kind) conn.streams.set(name, kind);
    }
  }

  private onControl(conn: StreamConn, text: string): void {
    let msg: { method?: string; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const names = Array.isArray(msg.params) ? msg.params.map(String) : [];
    if (msg.method === 'SUBSCRIBE') this.subscribe(conn, names);
    if (msg.method === 'UNSUBSCRIBE') for (const n of names) conn.streams.delete(n);
    const result = msg.method === 'LIST_SUBSCRIPTIONS' ? [...conn.streams.keys()] : null;
    conn.ws.send(JSON.stringify({ result, id: msg.id ?? null }));
  }

  private publish(): void {
    const now = this.sim.now();
    const tickIndex = Math.floor(now / TICK);
    const trades = new Map<string, unknown>();
    for (const conn of this.conns) {
      for (const [name, s] of conn.streams) {
        if (s.kind === 'trade') {
          if (!trades.has(s.symbol)) trades.set(s.symbol, tradeEvent(this.sim, s.symbol, now, tickIndex));
          this.send(conn, name, trades.get(s.symbol));
        } else if (s.kind === 'bookTicker') {
          this.send(conn, name, bookTickerEvent(this.sim, s.symbol, now));
        } else if (tickIndex % KLINE_EVERY_TICKS === 0) {
          const open = s.interval.openAt(now);
          const previous = conn.klineOpen.get(name);
          if (previous !== undefined && previous !== open)
            this.send(conn, name, klineEvent(this.sim, s.symbol, s.interval, previous, now, true));
          conn.klineOpen.set(name, open);
          this.send(conn, name, klineEvent(this.sim, s.symbol, s.interval, open, now, false));
        }
      }
    }
  }

  private send(conn: StreamConn, stream: string, data: unknown): void {
    if (data === undefined || conn.ws.readyState !== conn.ws.OPEN) return;
    conn.ws.send(JSON.stringify(conn.combined ? { stream, data } : data));
  }
}
