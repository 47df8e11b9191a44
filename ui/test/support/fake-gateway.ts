// A stand-in for services/gateway, speaking the public contract (shared/API.md) plus the
// ws-ticket extension, so the UI can be driven end to end in a browser before the real gateway
// exists. It is also the executable statement of what the UI assumes about the gateway.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

const USER_ID = '0192f4a7-0000-7000-8000-000000000001';
const TOKEN = 'fake.jwt.token';

export const SYMBOLS = [
  {
    symbol: 'BTCUSDT',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    tickSize: '0.01',
    stepSize: '0.00001',
    minQty: '0.00001',
    maxQty: '9000',
    minPrice: '0.01',
    maxPrice: '1000000',
    minNotional: '5',
  },
  {
    symbol: 'ETHUSDT',
    baseAsset: 'ETH',
    quoteAsset: 'USDT',
    tickSize: '0.01',
    stepSize: '0.0001',
    minQty: '0.0001',
    maxQty: '9000',
    minPrice: '0.01',
    maxPrice: '1000000',
    minNotional: '5',
  },
];

type Json = Record<string, unknown>;

export interface FakeGateway {
  url: string;
  /** Every HTTP request seen: method, path, authorization header. */
  requests: { method: string; path: string; auth: string | null; body: unknown }[];
  /** Every WebSocket message received from clients. */
  wsMessages: Json[];
  tickets: string[];
  /** Origins of WebSocket upgrade requests. */
  wsOrigins: (string | undefined)[];
  pushTicker(symbol: string, price: string): void;
  close(): Promise<void>;
}

function candles(interval: string, n = 120): Json[] {
  const step = { '1m': 60, '5m': 300, '1h': 3600, '1d': 86400, '1w': 604800 }[interval] ?? 60;
  const end = Math.floor(Date.UTC(2026, 10, 24, 12, 0) / 1000 / step) * step;
  let price = 64000;
  return Array.from({ length: n }, (_, i) => {
    const open = price;
    price = Math.round((price + Math.sin(i / 5) * 120 + (i % 7) * 9 - 27) * 100) / 100;
    const close = price;
    return {
      openTime: new Date((end - (n - 1 - i) * step) * 1000).toISOString(),
      open: open.toFixed(2),
      high: (Math.max(open, close) + 35).toFixed(2),
      low: (Math.min(open, close) - 35).toFixed(2),
      close: close.toFixed(2),
      volume: (1 + ((i * 37) % 11)).toFixed(4),
    };
  });
}

export async function startFakeGateway(): Promise<FakeGateway> {
  const requests: FakeGateway['requests'] = [];
  const wsMessages: Json[] = [];
  const tickets: string[] = [];
  const wsOrigins: (string | undefined)[] = [];
  const sockets = new Set<WebSocket>();
  const subscriptions = new Map<WebSocket, Set<string>>();
  const versions = new Map<string, number>();
  const orders = new Map<string, Json>();
  const balances = new Map<string, Json>([
    ['USDT', { asset: 'USDT', free: '10000', locked: '0' }],
    ['BTC', { asset: 'BTC', free: '0.5', locked: '0' }],
  ]);
  let lastPrice = '64250.10';
  let seq = 100;

  const nextVersion = (channel: string) => {
    const prev = versions.get(channel) ?? 0;
    const next = ++seq;
    versions.set(channel, next);
    return { prev, next };
  };

  function snapshotOf(channel: string): unknown {
    if (channel === 'orders') return [...orders.values()];
    if (channel === 'trades') return [];
    if (channel === 'balances') return [...balances.values()];
    if (channel === 'positions')
      return [
        {
          userId: USER_ID,
          symbol: 'BTCUSDT',
          quantity: '0.5',
          avgEntryPrice: '60000',
          markPrice: null,
          realizedPnl: '12.5',
          unrealizedPnl: null,
          fees: '0',
          version: 5,
        },
      ];
    if (channel.startsWith('ticker:')) return { symbol: channel.slice(7), price: lastPrice, at: new Date().toISOString() };
    if (channel.startsWith('candles:')) return candles(channel.split(':')[2] ?? '1m').slice(-1);
    return null;
  }

  function publish(channel: string, data: unknown) {
    const { prev, next } = nextVersion(channel);
    for (const [ws, subs] of subscriptions) {
      if (subs.has(channel)) ws.send(JSON.stringify({ type: 'update', channel, version: next, prevVersion: prev, data }));
    }
  }

  function send(res: ServerResponse, status: number, body?: unknown) {
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  const authed = (req: IncomingMessage) => req.headers.authorization === `Bearer ${TOKEN}`;

  async function readBody(req: IncomingMessage): Promise<unknown> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    return raw ? JSON.parse(raw) : undefined;
  }

  function fillLater(order: Json) {
    setTimeout(() => {
      const accepted = { ...order, status: 'NEW', version: ++seq, updatedAt: new Date().toISOString() };
      orders.set(String(order.orderId), accepted);
      publish('orders', [accepted]);
      if (order.type !== 'MARKET') return;
      setTimeout(() => {
        const price = lastPrice;
        const filled = {
          ...accepted,
          status: 'FILLED',
          filledQuantity: order.quantity,
          avgFillPrice: price,
          version: ++seq,
          updatedAt: new Date().toISOString(),
        };
        orders.set(String(order.orderId), filled);
        publish('orders', [filled]);
        publish('trades', [
          {
            tradeId: String(seq),
            orderId: order.orderId,
            userId: USER_ID,
            symbol: order.symbol,
            side: order.side,
            price,
            quantity: order.quantity,
            quoteQuantity: (Number(price) * Number(order.quantity)).toFixed(8),
            fee: '0',
            feeAsset: 'USDT',
            at: new Date().toISOString(),
            version: seq,
          },
        ]);
        balances.set('USDT', { asset: 'USDT', free: '9000', locked: '0' });
        publish('balances', [balances.get('USDT')]);
      }, 150);
    }, 100);
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = req.method === 'GET' ? undefined : await readBody(req).catch(() => null);
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, auth: req.headers.authorization ?? null, body });
    const path = url.pathname;
    if (req.method === 'POST' && (path === '/api/auth/login' || path === '/api/auth/register')) {
      const creds = body as { email?: string; password?: string } | undefined;
      if (path === '/api/auth/register' && creds?.email === 'taken@example.com')
        return send(res, 409, { error: { code: 'EMAIL_TAKEN', message: 'That email is already registered' } });
      if (creds?.password !== 'correct horse battery')
        return send(res, 401, { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password' } });
      return send(res, path.endsWith('register') ? 201 : 200, {
        token: TOKEN,
        user: { id: USER_ID, email: creds.email, roles: ['trader'] },
      });
    }
    if (!authed(req)) return send(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'Log in first' } });
    if (req.method === 'GET' && path === '/api/me')
      return send(res, 200, {
        id: USER_ID,
        email: 'ada@example.com',
        roles: ['trader'],
        venue: { kind: 'paper', keyFingerprint: '3f9a0c1d2e4b5a69' },
      });
    if (req.method === 'POST' && path === '/api/auth/ws-ticket') {
      const ticket = `ticket-${randomUUID()}`;
      tickets.push(ticket);
      return send(res, 200, { ticket, expiresAt: new Date(Date.now() + 30_000).toISOString() });
    }
    if (req.method === 'GET' && path === '/api/market/symbols') return send(res, 200, SYMBOLS);
    const candleMatch = /^\/api\/market\/([A-Z0-9]+)\/candles$/.exec(path);
    if (req.method === 'GET' && candleMatch) return send(res, 200, candles(url.searchParams.get('interval') ?? '1m'));
    if (req.method === 'POST' && path === '/api/orders') {
      const o = body as Json;
      if (o.quantity === '0.00999')
        return send(res, 422, {
          error: { code: 'MAX_NOTIONAL_EXCEEDED', message: 'Quantity is over your per-order limit', details: { field: 'quantity' } },
        });
      const now = new Date().toISOString();
      const order = {
        orderId: randomUUID(),
        userId: USER_ID,
        clientOrderId: o.clientOrderId ?? null,
        symbol: o.symbol,
        side: o.side,
        type: o.type,
        timeInForce: o.timeInForce ?? null,
        quantity: o.quantity,
        price: o.price ?? null,
        stopPrice: o.stopPrice ?? null,
        status: 'PENDING_NEW',
        filledQuantity: '0',
        avgFillPrice: null,
        fee: '0',
        feeAsset: null,
        venue: 'paper',
        venueOrderId: null,
        reason: null,
        createdAt: now,
        updatedAt: now,
        version: ++seq,
      };
      orders.set(order.orderId, order);
      fillLater(order);
      return send(res, 201, { order });
    }
    const orderMatch = /^\/api\/orders\/([0-9a-f-]{36})(\/events)?$/.exec(path);
    if (orderMatch?.[1]) {
      const order = orders.get(orderMatch[1]);
      if (!order) return send(res, 404, { error: { code: 'ORDER_NOT_FOUND', message: `No order ${orderMatch[1]}` } });
      if (req.method === 'DELETE') {
        const canceled = { ...order, status: 'CANCELED', version: ++seq, updatedAt: new Date().toISOString() };
        orders.set(String(order.orderId), canceled);
        setTimeout(() => publish('orders', [canceled]), 50);
        return send(res, 202, { order: { ...order, status: 'PENDING_CANCEL', version: seq - 1 } });
      }
      if (orderMatch[2])
        return send(res, 200, {
          events: [
            {
              seq: 1,
              type: 'OrderPlaced',
              version: 1,
              at: order.createdAt,
              data: { orderId: order.orderId, quantity: order.quantity, userId: USER_ID },
            },
            { seq: 2, type: 'OrderAccepted', version: 2, at: order.updatedAt, data: { venueOrderId: '42' } },
          ],
        });
      return send(res, 200, { order });
    }
    return send(res, 404, { error: { code: 'NOT_FOUND', message: `No route ${req.method} ${path}` } });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/api/ws') return socket.destroy();
    wsOrigins.push(req.headers.origin);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      let authenticated = false;
      ws.on('close', () => {
        sockets.delete(ws);
        subscriptions.delete(ws);
      });
      ws.on('message', (raw) => {
        const msg = JSON.parse(String(raw)) as Json;
        wsMessages.push(msg);
        if (!authenticated) {
          const idx = tickets.indexOf(String(msg.token));
          if (msg.type !== 'auth' || idx === -1) return ws.close(4401, 'bad ticket');
          tickets.splice(idx, 1); // single use
          authenticated = true;
          subscriptions.set(ws, new Set());
          ws.send(JSON.stringify({ type: 'ready', userId: USER_ID }));
          return;
        }
        const subs = subscriptions.get(ws) ?? new Set<string>();
        const channels = Array.isArray(msg.channels) ? msg.channels.map(String) : [];
        if (msg.type === 'subscribe') {
          for (const channel of channels) {
            subs.add(channel);
            ws.send(JSON.stringify({ type: 'snapshot', channel, version: versions.get(channel) ?? 0, data: snapshotOf(channel) }));
          }
        } else if (msg.type === 'unsubscribe') {
          for (const channel of channels) subs.delete(channel);
          ws.send(JSON.stringify({ type: 'unsubscribed', channels }));
        } else if (msg.type === 'ping') {
          ws.send(JSON.stringify({ type: 'pong' }));
        }
      });
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    wsMessages,
    tickets,
    wsOrigins,
    pushTicker(symbol, price) {
      lastPrice = price;
      publish(`ticker:${symbol}`, { symbol, price, at: new Date().toISOString() });
    },
    close: () =>
      new Promise((done) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
