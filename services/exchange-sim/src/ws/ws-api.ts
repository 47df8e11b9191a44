// Binance's WebSocket API (JSON-RPC-ish: {id, method, params} → {id, status, result|error}), reduced
// to what a spot client needs for its user-data stream. Events for a subscribed account arrive as
// {subscriptionId, event}, which node-binance-api unwraps.
import type { WebSocket } from 'ws';
import type { Account } from '../engine/accounts.ts';
import type { UserEvent } from '../engine/user-events.ts';
import { BinanceError, errors } from '../errors.ts';
import type { Simulator } from '../simulator.ts';
import { type WsMethod, wsMethods } from './ws-api-methods.ts';

export class ApiConnection {
  readonly subscriptions = new Map<number, Account>();
  nextSubscriptionId = 0;
  readonly connectedSince = Date.now();
  requests = 0;
  constructor(readonly ws: WebSocket) {}

  send(message: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }
}

export class WsApi {
  private readonly connections = new Set<ApiConnection>();
  private readonly methods: Map<string, WsMethod>;

  constructor(private readonly sim: Simulator) {
    this.methods = wsMethods(sim);
    sim.exchange.onUserEvent((apiKey, event) => this.deliver(apiKey, event));
  }

  handle(ws: WebSocket): void {
    const conn = new ApiConnection(ws);
    this.connections.add(conn);
    ws.on('close', () => this.connections.delete(conn));
    ws.on('message', (data) => this.onMessage(conn, String(data)));
  }

  /** Severs user-data connections like a network drop; drops not spent now hit the next subscribers. */
  dropUserConnections(count: number): number {
    const victims = [...this.connections].filter((c) => c.subscriptions.size > 0).slice(0, count);
    for (const c of victims) c.ws.terminate();
    this.sim.faults.armDropWs(count - victims.length);
    return victims.length;
  }

  closeAll(): void {
    for (const c of this.connections) c.ws.terminate();
    this.connections.clear();
  }

  private deliver(apiKey: string, event: UserEvent): void {
    for (const conn of this.connections) {
      for (const [subscriptionId, account] of conn.subscriptions) {
        if (account.apiKey === apiKey) conn.send({ subscriptionId, event });
      }
    }
  }

  private onMessage(conn: ApiConnection, text: string): void {
    conn.requests += 1;
    let request: { id?: unknown; method?: unknown; params?: unknown };
    try {
      request = JSON.parse(text);
    } catch {
      conn.send({ id: null, status: 400, error: { code: -1000, msg: 'Malformed request: not JSON.' } });
      return;
    }
    const id = request.id ?? null;
    const rateLimits = [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: conn.requests }];
    try {
      const method = typeof request.method === 'string' ? this.methods.get(request.method) : undefined;
      if (!method) throw errors.unknown(`Unsupported method: ${String(request.method)}`);
      const params = (typeof request.params === 'object' && request.params) || {};
      conn.send({ id, status: 200, result: method(conn, params as Record<string, unknown>), rateLimits });
      if (request.method === 'userDataStream.subscribe.signature' && this.sim.faults.takeDropWs()) conn.ws.terminate();
    } catch (err) {
      const e = err instanceof BinanceError ? err : errors.unknown();
      conn.send({ id, status: e.httpStatus, error: e.toJSON(), rateLimits });
    }
  }
}
