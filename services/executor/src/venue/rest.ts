// Every REST call goes through here: refused locally while a rate limit is in force, classified
// when it fails (errors.ts), retried once after a clock resync on -1021, and checked against its
// wire schema when it succeeds.
import type { SpotApi } from './binance-client.ts';
import { classifyFailure, type Failure, toVenueError } from './errors.ts';
import type { Logger } from '@blotter/eventstore/logger';
import type { RateLimitGate } from './rate-limit.ts';
import { VenueUnknownOutcomeError } from './types.ts';
import { MalformedVenueAnswerError, parse } from './wire.ts';

export class RestCaller {
  private resync: Promise<void> | null = null;

  constructor(
    private readonly api: SpotApi,
    private readonly gate: RateLimitGate,
    private readonly log: Logger,
  ) {}

  /** Venue time now (local clock corrected by the last measured offset). */
  venueNow(): number {
    return Date.now() + this.api.timeOffsetMs();
  }

  /** Measures the offset between the local and the venue clock (one at a time). */
  syncTime(): Promise<void> {
    this.resync ??= this.call('server time', () => this.api.useServerTime(), parse.serverTime, { retryOnClock: false })
      .then(() => this.log.debug?.({ offsetMs: this.api.timeOffsetMs() }, 'venue clock offset measured'))
      .finally(() => {
        this.resync = null;
      });
    return this.resync;
  }

  /**
   * Runs one venue call. `read` turns the raw answer into the result; when it throws (the answer
   * does not have the documented shape) the call's outcome is unknown: a 200 for an order means it
   * was probably executed, so this must not look like a refusal.
   */
  async call<T>(what: string, send: () => Promise<unknown>, read: (raw: unknown) => T, opts: { retryOnClock?: boolean } = {}): Promise<T> {
    this.gate.check(what);
    let raw: unknown;
    try {
      raw = await send();
    } catch (err) {
      const failure = classifyFailure(err);
      if (failure.kind === 'clock' && opts.retryOnClock !== false) {
        this.log.warn(
          { what, code: failure.code },
          'venue says our timestamp is outside recvWindow; resyncing the clock and retrying once',
        );
        await this.syncTime();
        return this.call(what, send, read, { retryOnClock: false });
      }
      throw this.fail(what, failure, err);
    }
    this.gate.succeeded();
    try {
      return read(raw);
    } catch (err) {
      if (!(err instanceof MalformedVenueAnswerError)) throw err;
      this.log.error({ what, problem: err.message }, 'malformed venue answer');
      throw new VenueUnknownOutcomeError(`${what}: ${err.message}`, { cause: err });
    }
  }

  private fail(what: string, failure: Failure, err: unknown): Error {
    let retryAfterMs = 0;
    if (failure.kind === 'rate-limited') {
      // A ban time is on the venue's clock; the gate runs on ours.
      const until = failure.bannedUntil === null ? null : failure.bannedUntil - this.api.timeOffsetMs();
      retryAfterMs = this.gate.limited(until);
      this.log.warn({ what, code: failure.code, retryAfterMs }, 'venue rate limit: no requests until it has passed');
    } else {
      this.log.debug?.({ what, failure }, 'venue call failed');
    }
    return toVenueError(failure, what, retryAfterMs, err);
  }
}
