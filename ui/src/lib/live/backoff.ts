// Reconnect delays: exponential, capped, with jitter so a gateway restart is not met by every
// browser reconnecting in the same millisecond.

export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** No delay exceeds this, in ms. */
  maxMs: number;
  /** Growth per attempt. */
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, factor: 2 };

/**
 * Delay before retry number `attempt` (0 for the first): "equal jitter", i.e. half the capped
 * exponential delay plus a random share of the other half, so it never collapses to zero.
 * `random` returns [0, 1) like Math.random.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * opts.factor ** Math.max(0, attempt));
  const half = exp / 2;
  return Math.round(half + random() * half);
}
