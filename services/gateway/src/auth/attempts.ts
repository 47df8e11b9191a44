// Counting login attempts per key in fixed one-minute windows (in memory, per gateway instance:
// with N gateways behind a balancer an attacker gets at most N times the limit).
export class AttemptWindow {
  private readonly counts = new Map<string, { start: number; n: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts an attempt; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, now = Date.now()): number {
    const entry = this.counts.get(key);
    if (!entry || now - entry.start >= this.windowMs) {
      this.counts.set(key, { start: now, n: 1 });
      if (this.counts.size > 100_000) this.prune(now);
      return 0;
    }
    entry.n++;
    return entry.n > this.max ? Math.ceil((entry.start + this.windowMs - now) / 1000) : 0;
  }

  private prune(now: number): void {
    for (const [k, v] of this.counts) if (now - v.start >= this.windowMs) this.counts.delete(k);
  }
}
