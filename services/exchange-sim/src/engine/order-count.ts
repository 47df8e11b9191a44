// Binance's unfilled order count (faqs/order_count_decrement.md), per account: each order placed
// counts +1 in the current 10-second and day windows; an order's first fill takes 1 back, so
// traders whose orders trade can keep trading. Windows start on the interval (00, 10, 20 … seconds;
// 00:00 UTC), as Binance counts them. Counts live in memory: a restart forgives them.
import { errors } from '../errors.ts';

export interface OrderRateLimits {
  /** Orders per 10 seconds (Binance: 100). */
  per10s: number;
  /** Orders per day (Binance: 200000). */
  perDay: number;
}

const TEN_SECONDS = 10_000;
const DAY = 86_400_000;

interface Window {
  start: number;
  count: number;
}

export interface OrderCounts {
  tenSeconds: number;
  day: number;
}

export class OrderCounter {
  private readonly windows = new Map<string, { s10: Window; day: Window }>();

  constructor(readonly limits: OrderRateLimits) {}

  /** -1015 with HTTP 429 when another order would break a limit. */
  check(apiKey: string, now: number): void {
    const w = this.current(apiKey, now);
    if (w.s10.count >= this.limits.per10s) {
      throw errors.tooManyOrders(this.limits.per10s, '10 SECOND', Math.ceil((w.s10.start + TEN_SECONDS - now) / 1000));
    }
    if (w.day.count >= this.limits.perDay) {
      throw errors.tooManyOrders(this.limits.perDay, '1 DAY', Math.ceil((w.day.start + DAY - now) / 1000));
    }
  }

  placed(apiKey: string, now: number): void {
    const w = this.current(apiKey, now);
    w.s10.count += 1;
    w.day.count += 1;
  }

  firstFill(apiKey: string, now: number): void {
    const w = this.current(apiKey, now);
    w.s10.count = Math.max(0, w.s10.count - 1);
    w.day.count = Math.max(0, w.day.count - 1);
  }

  counts(apiKey: string, now: number): OrderCounts {
    const w = this.current(apiKey, now);
    return { tenSeconds: w.s10.count, day: w.day.count };
  }

  private current(apiKey: string, now: number): { s10: Window; day: Window } {
    const s10 = Math.floor(now / TEN_SECONDS) * TEN_SECONDS;
    const day = Math.floor(now / DAY) * DAY;
    let w = this.windows.get(apiKey);
    if (!w) {
      w = { s10: { start: s10, count: 0 }, day: { start: day, count: 0 } };
      this.windows.set(apiKey, w);
    }
    if (w.s10.start !== s10) w.s10 = { start: s10, count: 0 };
    if (w.day.start !== day) w.day = { start: day, count: 0 };
    return w;
  }
}
