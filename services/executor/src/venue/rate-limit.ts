// Once Binance says "slow down", the adapter stops calling it until the wait is over: every request
// in that window fails locally with VenueRateLimitedError. Binance bans IPs that keep sending after
// a 429 (418, from 2 minutes up to 3 days), so a storm of retries is the one thing that must not
// happen. The library hides the Retry-After header, so the wait is either the end of a ban that the
// 418 message names, or a backoff that doubles with each consecutive limit (capped).
import { type Backoff, backoffDelay } from '@blotter/eventstore/backoff';
import { VenueRateLimitedError } from './types.ts';

/** The first wait after a 429 / -1003 / -1015, and the longest for repeated limits without a ban time. */
export const DEFAULT_RATE_LIMIT_BACKOFF: Backoff = { initialMs: 10_000, maxMs: 120_000 };

export class RateLimitGate {
  private blockedUntil = 0;
  /** Consecutive limits; reset by the first request that succeeds afterwards. */
  private streak = 0;

  constructor(
    private readonly backoff: Backoff,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws instead of letting a request reach the venue while a limit is in force. */
  check(what: string): void {
    const left = this.remainingMs();
    if (left > 0) throw new VenueRateLimitedError(`${what}: not sent, the venue rate limit is in force for ${left} ms more`, left);
  }

  remainingMs(): number {
    return Math.max(0, this.blockedUntil - this.now());
  }

  /**
   * Records a limit answer and returns how long to stay away. `bannedUntilLocal` is the end of an
   * IP ban on the local clock, when the venue named one.
   */
  limited(bannedUntilLocal: number | null): number {
    const now = this.now();
    if (bannedUntilLocal !== null) {
      this.blockedUntil = Math.max(this.blockedUntil, bannedUntilLocal, now + this.backoff.initialMs);
    } else if (now >= this.blockedUntil) {
      // Requests already in flight when the limit hit come back limited too; only a limit after the
      // wait has run out counts as "consecutive" and doubles the next wait.
      this.streak += 1;
      const wait = backoffDelay(this.streak - 1, this.backoff);
      this.blockedUntil = now + wait;
    }
    return this.remainingMs();
  }

  succeeded(): void {
    this.streak = 0;
  }
}
