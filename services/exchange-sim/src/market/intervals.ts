// Binance kline intervals and where their candles open: fixed widths are aligned to the epoch,
// weeks open on Monday 00:00 UTC and months on the 1st, as on the venue.
import { DAY, HOUR, MINUTE } from './time-units.ts';

export interface Interval {
  name: string;
  openAt(t: number): number;
  next(openTime: number): number;
}

const fixed = (name: string, width: number, offset = 0): Interval => ({
  name,
  openAt: (t) => Math.floor((t - offset) / width) * width + offset,
  next: (open) => open + width,
});

const month: Interval = {
  name: '1M',
  openAt: (t) => {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  },
  next: (open) => {
    const d = new Date(open);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  },
};

// 1970-01-01 was a Thursday; Mondays are 4 days later.
const MONDAY_OFFSET = 4 * DAY;

export const INTERVALS: ReadonlyMap<string, Interval> = new Map(
  [
    fixed('1s', 1000),
    fixed('1m', MINUTE),
    fixed('3m', 3 * MINUTE),
    fixed('5m', 5 * MINUTE),
    fixed('15m', 15 * MINUTE),
    fixed('30m', 30 * MINUTE),
    fixed('1h', HOUR),
    fixed('2h', 2 * HOUR),
    fixed('4h', 4 * HOUR),
    fixed('6h', 6 * HOUR),
    fixed('8h', 8 * HOUR),
    fixed('12h', 12 * HOUR),
    fixed('1d', DAY),
    fixed('3d', 3 * DAY),
    fixed('1w', 7 * DAY, MONDAY_OFFSET),
    month,
  ].map((i) => [i.name, i]),
);
