// The slow part of the price: a daily close built from value noise at scales from days to a year
// around each symbol's anchor, so prices stay plausible (BTC mostly 60k-70k) across a decade of
// history while still trending and mean-reverting like a real market.
import type { SymbolSpec } from './symbols.ts';
import type { Ohlc } from './ohlc.ts';
import type { Rng } from './rng.ts';

/** [period in days, amplitude in log-price] */
const OCTAVES: readonly (readonly [number, number])[] = [
  [365, 0.05],
  [91, 0.035],
  [29, 0.025],
  [7, 0.02],
  [2.3, 0.012],
];
const DAILY_NOISE = 0.011;
const WICK = 0.009;

const smooth = (t: number): number => t * t * (3 - 2 * t);

function valueNoise(rng: Rng, octave: number, x: number): number {
  const i = Math.floor(x);
  const a = 2 * rng.uniform(100 + octave, i) - 1;
  const b = 2 * rng.uniform(100 + octave, i + 1) - 1;
  return a + (b - a) * smooth(x - i);
}

export function dailyClose(spec: SymbolSpec, rng: Rng, day: number): number {
  let logDev = DAILY_NOISE * rng.normal(200, day);
  OCTAVES.forEach(([period, amplitude], octave) => {
    logDev += amplitude * valueNoise(rng, octave, day / period);
  });
  return spec.anchorPrice * Math.exp(spec.volMultiplier * logDev);
}

export function dayCandle(spec: SymbolSpec, rng: Rng, day: number): Ohlc {
  const open = dailyClose(spec, rng, day - 1);
  const close = dailyClose(spec, rng, day);
  const wick = WICK * spec.volMultiplier;
  const high = Math.max(open, close) * Math.exp(wick * (0.1 + Math.abs(rng.normal(201, day))));
  const low = Math.min(open, close) * Math.exp(-wick * (0.1 + Math.abs(rng.normal(202, day))));
  const activity = 0.5 + rng.uniform(203, day) + (15 * (high - low)) / open;
  return { open, high, low, close, volume: spec.dailyVolume * activity };
}
