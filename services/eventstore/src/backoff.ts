// Exponential backoff, one formula for every retry loop: the delay doubles with each failure
// from `initialMs` and stops growing at `maxMs`. Pair it with `setTimeout` from
// node:timers/promises. A subpath of its own (`@blotter/eventstore/backoff`) so that code with no use
// for the event store, such as the venue adapters, imports only this.

export interface Backoff {
  /** Delay after the first failure, ms. */
  initialMs: number;
  /** No delay grows beyond this, ms. */
  maxMs: number;
}

/** Delay before retry number `attempt` (0 after the first failure). */
export function backoffDelay(attempt: number, b: Backoff): number {
  return Math.min(b.maxMs, b.initialMs * 2 ** attempt);
}
