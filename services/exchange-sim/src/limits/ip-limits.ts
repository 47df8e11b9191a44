// Binance's IP limits (rest-api.md "LIMITS"): REQUEST_WEIGHT per minute and RAW_REQUESTS per 5
// minutes, counted per IP in windows that start on the interval. Over a limit the answer is HTTP
// 429 (-1003) with Retry-After until the window ends. An IP that keeps sending after its 429s —
// twice the limit within the window — is banned: HTTP 418 until the ban ends, from 2 minutes,
// doubling for each repeat, up to 3 days, as Binance escalates them.
import { BinanceError, errors } from '../errors.ts';
import type { Limits } from '../config.ts';

const MINUTE = 60_000;
const FIVE_MINUTES = 300_000;
const FIRST_BAN_MS = 120_000;
const MAX_BAN_MS = 3 * 86_400_000;

interface IpState {
  minute: number;
  weight: number;
  fiveMinutes: number;
  raw: number;
  bannedUntil: number;
  bans: number;
}

export interface IpUsage {
  weight1m: number;
  raw5m: number;
}

export class IpLimiter {
  private readonly ips = new Map<string, IpState>();

  constructor(readonly limits: Pick<Limits, 'requestWeightPerMinute' | 'rawRequestsPer5m'>) {}

  /** Counts one request of `weight`; throws the 429 or 418 Binance would answer instead of serving it. */
  spend(ip: string, weight: number, now: number): IpUsage {
    const s = this.state(ip, now);
    if (s.bannedUntil > now) throw errors.ipBanned(s.bannedUntil, Math.ceil((s.bannedUntil - now) / 1000));
    s.weight += weight;
    s.raw += 1;
    const weightOver = s.weight > this.limits.requestWeightPerMinute;
    const rawOver = s.raw > this.limits.rawRequestsPer5m;
    if (!weightOver && !rawOver) return { weight1m: s.weight, raw5m: s.raw };
    if (s.weight >= 2 * this.limits.requestWeightPerMinute || s.raw >= 2 * this.limits.rawRequestsPer5m) {
      s.bans += 1;
      s.bannedUntil = now + Math.min(FIRST_BAN_MS * 2 ** (s.bans - 1), MAX_BAN_MS);
      throw errors.ipBanned(s.bannedUntil, Math.ceil((s.bannedUntil - now) / 1000));
    }
    if (weightOver) throw errors.tooMuchWeight(this.limits.requestWeightPerMinute, Math.ceil((s.minute + MINUTE - now) / 1000));
    throw new BinanceError(
      -1003,
      `Too many requests; current limit is ${this.limits.rawRequestsPer5m} requests per 5 MINUTE.`,
      429,
      undefined,
      Math.ceil((s.fiveMinutes + FIVE_MINUTES - now) / 1000),
    );
  }

  usage(ip: string, now: number): IpUsage {
    const s = this.state(ip, now);
    return { weight1m: s.weight, raw5m: s.raw };
  }

  private state(ip: string, now: number): IpState {
    const minute = Math.floor(now / MINUTE) * MINUTE;
    const fiveMinutes = Math.floor(now / FIVE_MINUTES) * FIVE_MINUTES;
    let s = this.ips.get(ip);
    if (!s) {
      s = { minute, weight: 0, fiveMinutes, raw: 0, bannedUntil: 0, bans: 0 };
      this.ips.set(ip, s);
    }
    if (s.minute !== minute) [s.minute, s.weight] = [minute, 0];
    if (s.fiveMinutes !== fiveMinutes) [s.fiveMinutes, s.raw] = [fiveMinutes, 0];
    return s;
  }
}
