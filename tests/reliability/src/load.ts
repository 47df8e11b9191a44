// The load: orders from several users over HTTP to every gateway, the way a careful client sends
// them. Each placement carries a clientOrderId; a request that ends in a connection error, a
// timeout, a 5xx, a 429 or a concurrency conflict gets no usable answer and is sent again, the SAME
// request (same clientOrderId, same body), to the next gateway, until an answer comes back.
// Every final answer is recorded, so the checks know exactly which orders were accepted (2xx).
import type { User } from './cluster.ts';
import { sleep } from '@blotter/test-kit';

/** A small seeded PRNG (mulberry32): the same seed gives the same order mix. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PlaceBody {
  symbol: string;
  side: 'BUY' | 'SELL';
  type: 'MARKET' | 'LIMIT';
  quantity: string;
  price?: string;
  timeInForce?: 'GTC' | 'IOC';
  clientOrderId: string;
}

export interface Attempt {
  gateway: number;
  at: number;
  outcome: number | string;
}

export interface PlaceRecord {
  user: User;
  body: PlaceBody;
  attempts: Attempt[];
  /** HTTP status of the final answer; 0 when none came before giving up. */
  status: number;
  orderId: string | null;
  orderStatus: string | null;
  errorCode: string | null;
  sentAt: number;
  answeredAt: number;
}

export interface CancelRecord {
  user: User;
  orderId: string;
  attempts: Attempt[];
  status: number;
  sentAt: number;
  answeredAt: number;
}

export interface LoadOptions {
  users: User[];
  gatewayUrls: string[];
  /** Placements to send. */
  orders: number;
  /** Placements started per second. */
  ratePerSecond: number;
  /** Share of placements followed by a cancel of an earlier resting LIMIT order of the same user. */
  cancelShare?: number;
  /** Placements and cancels awaiting an answer at once; beyond, the schedule waits. */
  maxInFlight?: number;
  /** One HTTP attempt is abandoned (and retried) after this long. */
  attemptTimeoutMs?: number;
  /** A request still unanswered after this long is given up (and counted). */
  giveUpAfterMs?: number;
  seed?: number;
  /** Prefix of every clientOrderId (a run's requests never collide with another run's). */
  runId: string;
  /** Current prices per symbol, for LIMIT orders near the market. */
  price: (symbol: string) => number;
  /** Symbols and quantity (step-aligned) per order. */
  symbols?: { symbol: string; quantity: string[] }[];
  /** Stops scheduling new requests when it returns true. */
  stop?: () => boolean;
}

export interface LoadStats {
  placements: number;
  cancels: number;
  /** Final answers by HTTP status (placements). */
  placeStatus: Record<string, number>;
  cancelStatus: Record<string, number>;
  /** Attempts that got no usable answer, by cause. */
  retries: Record<string, number>;
  unanswered: number;
  elapsedMs: number;
  maxLatencyMs: number;
}

const DEFAULT_SYMBOLS = [
  { symbol: 'BTCUSDT', quantity: ['0.0002', '0.0003', '0.0005'] },
  { symbol: 'ETHUSDT', quantity: ['0.004', '0.006', '0.01'] },
];

const RETRYABLE_CODES = new Set(['CONCURRENCY_CONFLICT', 'RATE_LIMITED', 'INTERNAL', 'SERVICE_UNAVAILABLE']);

export class LoadClient {
  readonly placed: PlaceRecord[] = [];
  readonly cancels: CancelRecord[] = [];
  readonly stats: LoadStats = {
    placements: 0,
    cancels: 0,
    placeStatus: {},
    cancelStatus: {},
    retries: {},
    unanswered: 0,
    elapsedMs: 0,
    maxLatencyMs: 0,
  };
  private inFlight = 0;
  /** Answer times of placements (sent to final answer, retries included), drained by `takeLatencies`. */
  private latencies: number[] = [];
  private nextGateway = 0;
  private readonly random: () => number;
  private readonly o: Required<Omit<LoadOptions, 'stop'>> & Pick<LoadOptions, 'stop'>;

  constructor(options: LoadOptions) {
    this.o = {
      cancelShare: 0.15,
      maxInFlight: 64,
      attemptTimeoutMs: 15_000,
      giveUpAfterMs: 180_000,
      seed: 1,
      symbols: DEFAULT_SYMBOLS,
      ...options,
    };
    this.random = rng(this.o.seed);
  }

  /** Runs the whole schedule and waits for every answer. */
  async run(): Promise<LoadStats> {
    const t0 = Date.now();
    const pending = new Set<Promise<void>>();
    const track = (p: Promise<void>) => {
      pending.add(p);
      void p.finally(() => pending.delete(p));
    };
    for (let i = 0; i < this.o.orders; i++) {
      if (this.o.stop?.()) break;
      const due = t0 + (i * 1000) / this.o.ratePerSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      while (this.inFlight >= this.o.maxInFlight) await sleep(20);
      track(this.place(this.nextBody(i)));
      if (this.random() < this.o.cancelShare) {
        const target = this.pickCancelTarget();
        if (target) track(this.cancel(target.user, target.orderId));
      }
    }
    while (pending.size > 0) await Promise.allSettled([...pending]);
    this.stats.elapsedMs = Date.now() - t0;
    return this.stats;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)] as T;
  }

  private nextBody(i: number): { user: User; body: PlaceBody } {
    const user = this.pick(this.o.users);
    const { symbol, quantity } = this.pick(this.o.symbols);
    const r = this.random();
    const qty = this.pick(quantity);
    const clientOrderId = `${this.o.runId}-${i}`;
    const mark = this.o.price(symbol);
    // Near the market: up to 0.15% away, so some rest, some fill soon, some cross at once.
    const near = (side: 'BUY' | 'SELL') => {
      const off = (this.random() * 0.003 - 0.0012) * mark;
      const p = side === 'BUY' ? mark - off : mark + off;
      return (Math.round(p * 100) / 100).toFixed(2);
    };
    let body: PlaceBody;
    if (r < 0.35) body = { symbol, side: 'BUY', type: 'MARKET', quantity: qty, clientOrderId };
    else if (r < 0.5) body = { symbol, side: 'SELL', type: 'MARKET', quantity: qty, clientOrderId };
    else if (r < 0.8) body = { symbol, side: 'BUY', type: 'LIMIT', quantity: qty, price: near('BUY'), timeInForce: 'GTC', clientOrderId };
    else if (r < 0.95)
      body = { symbol, side: 'SELL', type: 'LIMIT', quantity: qty, price: near('SELL'), timeInForce: 'GTC', clientOrderId };
    else body = { symbol, side: 'BUY', type: 'LIMIT', quantity: qty, price: near('BUY'), timeInForce: 'IOC', clientOrderId };
    return { user, body };
  }

  /** Accepted GTC LIMIT orders not yet picked for a cancel, oldest first. */
  private readonly cancelCandidates: PlaceRecord[] = [];

  private pickCancelTarget(): { user: User; orderId: string } | null {
    const n = this.cancelCandidates.length;
    if (n === 0) return null;
    // One of the 30 most recent (most likely still resting).
    const index = n - 1 - Math.floor(this.random() * Math.min(n, 30));
    const [c] = this.cancelCandidates.splice(index, 1);
    if (!c?.orderId) return null;
    if (this.cancelCandidates.length > 500) this.cancelCandidates.splice(0, this.cancelCandidates.length - 500);
    return { user: c.user, orderId: c.orderId };
  }

  /** One request, retried until it gets a usable answer. */
  private async send(
    method: 'POST' | 'DELETE',
    path: string,
    user: User,
    body: unknown,
    attempts: Attempt[],
  ): Promise<{ status: number; json: Record<string, unknown> | null }> {
    const t0 = Date.now();
    for (let n = 0; ; n++) {
      const gateway = this.nextGateway++ % this.o.gatewayUrls.length;
      const url = this.o.gatewayUrls[gateway] + path;
      let outcome: number | string;
      try {
        const res = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${user.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(this.o.attemptTimeoutMs),
        });
        const text = await res.text();
        let json: Record<string, unknown> | null = null;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {}
        const code = (json?.error as { code?: string } | undefined)?.code ?? '';
        outcome = res.status;
        attempts.push({ gateway, at: Date.now(), outcome });
        const retryable = res.status >= 500 || res.status === 429 || (res.status === 409 && RETRYABLE_CODES.has(code));
        if (!retryable) return { status: res.status, json };
        this.count(res.status >= 500 ? `http ${res.status}` : code || `http ${res.status}`);
      } catch (err) {
        const e = err as { name?: string; cause?: { code?: string } };
        outcome = e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.name ?? 'error');
        attempts.push({ gateway, at: Date.now(), outcome });
        this.count(String(outcome));
      }
      if (Date.now() - t0 > this.o.giveUpAfterMs) return { status: 0, json: null };
      await sleep(Math.min(2000, 100 * 2 ** Math.min(n, 5)) * (0.5 + this.random()));
    }
  }

  private count(cause: string): void {
    this.stats.retries[cause] = (this.stats.retries[cause] ?? 0) + 1;
  }

  private async place({ user, body }: { user: User; body: PlaceBody }): Promise<void> {
    this.inFlight++;
    this.stats.placements++;
    const rec: PlaceRecord = {
      user,
      body,
      attempts: [],
      status: 0,
      orderId: null,
      orderStatus: null,
      errorCode: null,
      sentAt: Date.now(),
      answeredAt: 0,
    };
    this.placed.push(rec);
    try {
      const { status, json } = await this.send('POST', '/api/orders', user, body, rec.attempts);
      rec.status = status;
      rec.answeredAt = Date.now();
      this.stats.maxLatencyMs = Math.max(this.stats.maxLatencyMs, rec.answeredAt - rec.sentAt);
      const order = (json?.order ?? (json?.error as { details?: { order?: unknown } } | undefined)?.details?.order) as
        | { orderId: string; status: string }
        | undefined;
      rec.orderId = order?.orderId ?? null;
      rec.orderStatus = order?.status ?? null;
      rec.errorCode = (json?.error as { code?: string } | undefined)?.code ?? null;
      if (status === 0) this.stats.unanswered++;
      this.stats.placeStatus[status] = (this.stats.placeStatus[status] ?? 0) + 1;
      if ((status === 201 || status === 200) && rec.orderId && body.type === 'LIMIT' && body.timeInForce === 'GTC')
        this.cancelCandidates.push(rec);
      this.latencies.push(rec.answeredAt - rec.sentAt);
    } finally {
      this.inFlight--;
    }
  }

  private async cancel(user: User, orderId: string): Promise<void> {
    this.inFlight++;
    this.stats.cancels++;
    const rec: CancelRecord = { user, orderId, attempts: [], status: 0, sentAt: Date.now(), answeredAt: 0 };
    this.cancels.push(rec);
    try {
      const { status } = await this.send('DELETE', `/api/orders/${orderId}`, user, null, rec.attempts);
      rec.status = status;
      rec.answeredAt = Date.now();
      if (status === 0) this.stats.unanswered++;
      this.stats.cancelStatus[status] = (this.stats.cancelStatus[status] ?? 0) + 1;
    } finally {
      this.inFlight--;
    }
  }

  /** The placement latencies recorded since the last call. */
  takeLatencies(): number[] {
    const out = this.latencies;
    this.latencies = [];
    return out;
  }

  /** Placements that were accepted: 201 (created) or 200 (the same request answered again). */
  accepted(): PlaceRecord[] {
    return this.placed.filter((p) => (p.status === 200 || p.status === 201) && p.orderId);
  }
}
