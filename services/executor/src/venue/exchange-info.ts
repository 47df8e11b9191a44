// exchangeInfo is heavy (weight 20, every symbol of the venue) and changes rarely, so it is cached
// for a configurable time. Concurrent callers share one request; when a refresh fails (rate limit,
// outage) the last good copy is served rather than leaving the executor without filters.
import type { SymbolInfo } from '@blotter/schemas';
import type { Logger } from '@blotter/eventstore/logger';

export const DEFAULT_EXCHANGE_INFO_TTL_MS = 15 * 60_000;

export class ExchangeInfoCache {
  private cached: { symbols: readonly SymbolInfo[]; fetchedAt: number } | null = null;
  private loading: Promise<readonly SymbolInfo[]> | null = null;

  constructor(
    private readonly load: () => Promise<SymbolInfo[]>,
    private readonly ttlMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<SymbolInfo[]> {
    const cached = this.cached;
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) return [...cached.symbols];
    this.loading ??= this.load()
      .then((symbols) => {
        // Frozen: callers share these objects.
        const frozen = symbols.map((s) => Object.freeze({ ...s }));
        this.cached = { symbols: frozen, fetchedAt: this.now() };
        return frozen;
      })
      .finally(() => {
        this.loading = null;
      });
    try {
      return [...(await this.loading)];
    } catch (err) {
      if (!cached) throw err;
      this.log.warn({ err, ageMs: this.now() - cached.fetchedAt }, 'exchangeInfo refresh failed; serving the cached copy');
      return [...cached.symbols];
    }
  }
}
