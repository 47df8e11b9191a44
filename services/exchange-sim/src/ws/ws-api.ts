// Binance's WebSocket API (web-socket-api.md): `{id, method, params}` → `{id, status, result |
// error, rateLimits}`. Every operation of the REST API is here under its WS method name (same
// definitions, api/endpoints.ts), plus session authentication (Ed25519 keys only, as on Binance)
// and user-data stream subscriptions, whose events arrive as `{subscriptionId, event}`.
import type { WebSocket } from 'ws';
import { checkTimestamp, findAccount, verifySigned } from '../api/auth.ts';
import { type Endpoint, weightOf } from '../api/endpoint.ts';
import { ENDPOINTS } from '../api/endpoints.ts';
import { wsSignaturePayload } from '../api/signature.ts';
import type { Account } from '../engine/accounts.ts';
import type { UserEvent } from '../engine/user-events.ts';
import { BinanceError, errors } from '../errors.ts';
import { Params } from '../params.ts';
import type { Simulator } from '../simulator.ts';

/** Connecting to the WebSocket API costs 2 weight (web-socket-api.md "IP limits"). */
const CONNECT_WEIGHT = 2;
const SESSION_WEIGHT = 2;
const MAX_SUBSCRIPTIONS = 1000;

export class ApiConnection {
  /** Active user-data subscriptions by id; `viaSession` ones end with session.logout. */
  readonly subscriptions = new Map<number, { account: Account; viaSession: boolean }>();
  nextSubscriptionId = 0;
  readonly connectedSince = Date.now();
  session: { account: Account; authorizedSince: number } | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
    readonly returnRateLimits: boolean,
  ) {}

  send(message: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }
}

type Special = (conn: ApiConnection, raw: Record<string, unknown>, now: number) => unknown;

export class WsApi {
  private readonly connections = new Set<ApiConnection>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly special: Map<string, { weight: number; run: Special }>;

  constructor(private readonly sim: Simulator) {
    for (const e of ENDPOINTS) if (e.ws) this.endpoints.set(e.ws, e);
    this.special = this.sessionMethods();
    sim.onUserEvent((apiKey, event) => this.deliver(apiKey, event));
  }

  /** Method names served, for the README's table. */
  methods(): string[] {
    return [...this.endpoints.keys(), ...this.special.keys()];
  }

  handle(ws: WebSocket, ip: string, url: URL): void {
    const conn = new ApiConnection(ws, ip, url.searchParams.get('returnRateLimits') !== 'false');
    try {
      this.sim.ipLimits.spend(ip, CONNECT_WEIGHT, this.sim.now());
    } catch (err) {
      const e = err instanceof BinanceError ? err : errors.unknown();
      conn.send({ id: null, status: e.httpStatus, error: e.toJSON() });
      ws.close();
      return;
    }
    this.connections.add(conn);
    ws.on('close', () => this.connections.delete(conn));
    ws.on('message', (data) => void this.onMessage(conn, String(data)));
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
      for (const [subscriptionId, sub] of conn.subscriptions) {
        if (sub.account.apiKey === apiKey) conn.send({ subscriptionId, event });
      }
    }
  }

  private async onMessage(conn: ApiConnection, text: string): Promise<void> {
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      conn.send({ id: null, status: 400, error: { code: -1135, msg: 'Invalid JSON Request' } });
      return;
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      conn.send({ id: null, status: 400, error: { code: -1135, msg: 'Invalid JSON Request' } });
      return;
    }
    const id = 'id' in request ? request.id : null;
    const rawMethod = 'method' in request && typeof request.method === 'string' ? request.method : undefined;
    const method = rawMethod?.replace(/^v3\//, '');
    const rawParams = 'params' in request && typeof request.params === 'object' && request.params !== null ? request.params : {};
    const raw: Record<string, unknown> = { ...rawParams };
    const wantLimits = typeof raw.returnRateLimits === 'boolean' ? raw.returnRateLimits : conn.returnRateLimits;
    delete raw.returnRateLimits;
    const now = this.sim.now();
    let account: Account | undefined;
    let orders = false;
    try {
      const special = method ? this.special.get(method) : undefined;
      const endpoint = method ? this.endpoints.get(method) : undefined;
      const params = Params.fromObject(raw);
      let result: unknown;
      if (special) {
        this.sim.ipLimits.spend(conn.ip, special.weight, now);
        result = special.run(conn, raw, now);
      } else if (!endpoint) {
        throw new BinanceError(-1020, 'This operation is not supported.');
      } else {
        this.sim.ipLimits.spend(conn.ip, weightOf(endpoint, params), now);
        if (endpoint.security === 'NONE') {
          result = endpoint.run({ sim: this.sim, params, now });
        } else {
          account = this.authenticate(conn, raw, params, now);
          orders = endpoint.placesOrders === true;
          try {
            result = endpoint.run({ sim: this.sim, params: params.without('apiKey', 'signature'), now, account });
          } finally {
            await this.sim.flushed().catch(() => undefined);
          }
        }
      }
      await this.sim.flushed();
      conn.send({ id, status: 200, result, ...(wantLimits ? { rateLimits: this.rateLimits(conn, account, orders, now) } : {}) });
      if (method === 'userDataStream.subscribe.signature' && this.sim.faults.takeDropWs()) conn.ws.terminate();
    } catch (err) {
      const e = err instanceof BinanceError ? err : errors.unknown();
      const error =
        e.retryAfterSeconds !== undefined && e.data === undefined
          ? { ...e.toJSON(), data: { serverTime: now, retryAfter: now + e.retryAfterSeconds * 1000 } }
          : e.toJSON();
      conn.send({ id, status: e.httpStatus, error, ...(wantLimits ? { rateLimits: this.rateLimits(conn, account, orders, now) } : {}) });
    }
  }

  /** A signed request names its key and signature, or relies on the session's logged-on key. */
  private authenticate(conn: ApiConnection, raw: Record<string, unknown>, params: Params, now: number): Account {
    const apiKey = params.string('apiKey');
    if (apiKey === undefined && conn.session) {
      if (!this.sim.accounts.find(conn.session.account.apiKey)) {
        conn.session = undefined;
        throw errors.rejectedApiKey();
      }
      checkTimestamp(params, now);
      return conn.session.account;
    }
    const account = findAccount(this.sim, apiKey);
    const signature = params.string('signature');
    verifySigned(account, params, payloadsOf(raw), signature && decodeIfEncoded(signature), now);
    return account;
  }

  private rateLimits(conn: ApiConnection, account: Account | undefined, orders: boolean, now: number): unknown[] {
    const { weight1m } = this.sim.ipLimits.usage(conn.ip, now);
    const limits: unknown[] = [];
    if (orders && account) {
      const c = this.sim.exchange.orderCounter.counts(account.apiKey, now);
      limits.push(
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: this.sim.limits.ordersPer10s, count: c.tenSeconds },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: this.sim.limits.ordersPerDay, count: c.day },
      );
    }
    limits.push({
      rateLimitType: 'REQUEST_WEIGHT',
      interval: 'MINUTE',
      intervalNum: 1,
      limit: this.sim.limits.requestWeightPerMinute,
      count: weight1m,
    });
    return limits;
  }

  private sessionMethods(): Map<string, { weight: number; run: Special }> {
    const sim = this.sim;
    const status = (conn: ApiConnection, now: number) => ({
      apiKey: conn.session?.account.apiKey ?? null,
      authorizedSince: conn.session?.authorizedSince ?? null,
      connectedSince: conn.connectedSince,
      returnRateLimits: conn.returnRateLimits,
      serverTime: now,
      userDataStream: conn.subscriptions.size > 0,
    });
    const subscribe = (conn: ApiConnection, account: Account, viaSession: boolean) => {
      if ([...conn.subscriptions.values()].some((s) => s.account === account)) throw errors.subscriptionActive();
      if (conn.subscriptions.size >= MAX_SUBSCRIPTIONS)
        throw new BinanceError(-2042, 'Maximum subscription ID reached for this connection.');
      const subscriptionId = conn.nextSubscriptionId++;
      conn.subscriptions.set(subscriptionId, { account, viaSession });
      return { subscriptionId };
    };
    const terminate = (conn: ApiConnection, subscriptionId: number, now: number) => {
      conn.subscriptions.delete(subscriptionId);
      conn.send({ subscriptionId, event: { e: 'eventStreamTerminated', E: now } });
    };
    const list = (conn: ApiConnection) => [...conn.subscriptions.keys()].map((subscriptionId) => ({ subscriptionId }));
    const logon: Special = (conn, raw, now) => {
      const params = Params.fromObject(raw);
      const account = findAccount(sim, params.string('apiKey'));
      const signature = params.string('signature');
      verifySigned(account, params, payloadsOf(raw), signature && decodeIfEncoded(signature), now);
      // Session authentication is for Ed25519 keys only (web-socket-api.md).
      if (account.credential.type !== 'ED25519') throw new BinanceError(-1002, 'You are not authorized to execute this request.', 401);
      conn.session = { account, authorizedSince: now };
      return status(conn, now);
    };
    return new Map<string, { weight: number; run: Special }>([
      ['session.logon', { weight: SESSION_WEIGHT, run: logon }],
      ['session.status', { weight: SESSION_WEIGHT, run: (conn, _raw, now) => status(conn, now) }],
      [
        'session.logout',
        {
          weight: SESSION_WEIGHT,
          run: (conn, _raw, now) => {
            for (const [id, sub] of conn.subscriptions) if (sub.viaSession) terminate(conn, id, now);
            conn.session = undefined;
            return status(conn, now);
          },
        },
      ],
      ['session.subscriptions', { weight: SESSION_WEIGHT, run: list }],
      // The name this simulator used before session.subscriptions existed.
      ['userDataStream.subscription.list', { weight: SESSION_WEIGHT, run: list }],
      [
        'userDataStream.subscribe',
        {
          weight: SESSION_WEIGHT,
          run: (conn) => {
            if (!conn.session) throw new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
            return subscribe(conn, conn.session.account, true);
          },
        },
      ],
      [
        'userDataStream.subscribe.signature',
        {
          weight: SESSION_WEIGHT,
          run: (conn, raw, now) => {
            const params = Params.fromObject(raw);
            const account = findAccount(sim, params.string('apiKey'));
            const signature = params.string('signature');
            verifySigned(account, params, payloadsOf(raw), signature && decodeIfEncoded(signature), now);
            return subscribe(conn, account, false);
          },
        },
      ],
      [
        'userDataStream.unsubscribe',
        {
          weight: SESSION_WEIGHT,
          run: (conn, raw, now) => {
            const id = Params.fromObject(raw).integer('subscriptionId');
            if (id === undefined) for (const s of [...conn.subscriptions.keys()]) terminate(conn, s, now);
            else if (conn.subscriptions.has(id)) terminate(conn, id, now);
            else throw errors.subscriptionInactive();
            return {};
          },
        },
      ],
    ]);
  }
}

/** Binance signs the sorted params unencoded; some clients percent-encode the values (accepted too). */
const payloadsOf = (raw: Record<string, unknown>): string[] => {
  const plain = wsSignaturePayload(raw);
  const encoded = wsSignaturePayload(raw, true);
  return plain === encoded ? [plain] : [plain, encoded];
};

/** A base64 signature some clients send percent-encoded (node-binance-api with key pairs). */
const decodeIfEncoded = (s: string): string => {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
