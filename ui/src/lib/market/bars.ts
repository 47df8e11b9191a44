// Candles for the chart: the REST history joined with the live channel's candles, and the
// conversion lightweight-charts needs. The numbers made here are plot coordinates only; no
// amount shown as text ever goes through them.
import type { CandleRow } from '../live/channels.ts';
import { mergeCandle } from '../live/reducer.ts';

export {
  CANDLE_INTERVALS as INTERVALS,
  type CandleInterval as Interval,
  isCandleInterval as isInterval,
} from '@blotter/schemas';

/** History first, then every live candle replaces its bar or extends the series. */
export function combineBars(history: readonly CandleRow[], live: readonly CandleRow[] | undefined): CandleRow[] {
  let bars = [...history].sort((a, b) => a.openTime.localeCompare(b.openTime));
  for (const c of live ?? []) bars = mergeCandle(bars, c);
  return bars;
}

export interface ChartBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}
export interface VolumeBar {
  time: number;
  value: number;
  up: boolean;
}

/** Seconds since the epoch, as lightweight-charts' UTCTimestamp. */
export const chartTime = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export function toChartData(bars: readonly CandleRow[]): { candles: ChartBar[]; volumes: VolumeBar[] } {
  const candles: ChartBar[] = [];
  const volumes: VolumeBar[] = [];
  let lastTime = -Infinity;
  for (const b of bars) {
    const time = chartTime(b.openTime);
    // The chart requires strictly increasing times; a malformed or repeated bar is skipped.
    if (!Number.isFinite(time) || time <= lastTime) continue;
    lastTime = time;
    const close = Number(b.close);
    const open = Number(b.open);
    candles.push({ time, open, high: Number(b.high), low: Number(b.low), close });
    volumes.push({ time, value: Number(b.volume), up: close >= open });
  }
  return { candles, volumes };
}
