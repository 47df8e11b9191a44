// Top-down refinement: a parent candle is split into n children whose path starts at the parent's
// open, ends at its close, and whose extremes hit the parent's high and low exactly. Because every
// finer candle is carved out of its parent, a 1h candle always equals the merge of its 1m candles,
// and a weekly candle costs seven day evaluations instead of ten thousand minute ones.
import type { Ohlc } from './ohlc.ts';
import type { Rng } from './rng.ts';

export function subdivide(parent: Ohlc, n: number, rng: Rng, level: number, index: number): Ohlc[] {
  const { open: O, close: C, high: H, low: L } = parent;
  const sigma = Math.max(H - L, O * 1e-9) * (0.45 / Math.sqrt(n));
  // Brownian bridge from O to C: a random walk with its drift removed so it lands on C.
  const walk = [0];
  for (let k = 1; k <= n; k++) walk.push((walk[k - 1] ?? 0) + rng.normal(level, index, k));
  const total = walk[n] ?? 0;
  const path = walk.map((w, k) => O + ((C - O) * k) / n + sigma * (w - (total * k) / n));

  const kids: Ohlc[] = [];
  let weightSum = 0;
  for (let k = 1; k <= n; k++) {
    const o = path[k - 1] ?? O;
    const c = path[k] ?? C;
    // Strictly positive wicks guarantee the extremes sit outside [min(O,C), max(O,C)] so the
    // stretch below is always well defined.
    const up = sigma * (0.05 + 0.5 * Math.abs(rng.normal(level, index, k, 3)));
    const down = sigma * (0.05 + 0.5 * Math.abs(rng.normal(level, index, k, 4)));
    const weight = (0.3 + rng.uniform(level, index, k, 5)) * (1 + Math.abs(c - o) / sigma);
    weightSum += weight;
    kids.push({ open: o, close: c, high: Math.max(o, c) + up, low: Math.min(o, c) - down, volume: weight });
  }
  return fitInto(kids, parent, weightSum);
}

/** Monotone piecewise-linear stretch so the children's extremes equal the parent's exactly. */
function fitInto(kids: Ohlc[], parent: Ohlc, weightSum: number): Ohlc[] {
  const { open: O, close: C, high: H, low: L, volume: V } = parent;
  const lo = Math.min(O, C);
  const hi = Math.max(O, C);
  let m = Number.POSITIVE_INFINITY;
  let M = Number.NEGATIVE_INFINITY;
  let iLow = 0;
  let iHigh = 0;
  kids.forEach((kid, i) => {
    if (kid.low < m) [m, iLow] = [kid.low, i];
    if (kid.high > M) [M, iHigh] = [kid.high, i];
  });
  const g = (x: number): number => {
    if (x < lo) return lo - m > 0 ? L + ((x - m) * (lo - L)) / (lo - m) : lo;
    if (x > hi) return M - hi > 0 ? hi + ((x - hi) * (H - hi)) / (M - hi) : hi;
    return x;
  };
  const out = kids.map((k) => ({
    open: g(k.open),
    high: g(k.high),
    low: g(k.low),
    close: g(k.close),
    volume: (V * k.volume) / weightSum,
  }));
  // Pin the boundary values bit-for-bit; the stretch is exact in theory but not in floating point.
  const first = out[0];
  const last = out[out.length - 1];
  if (first) first.open = O;
  if (last) last.close = C;
  const kLow = out[iLow];
  const kHigh = out[iHigh];
  if (kLow) kLow.low = L;
  if (kHigh) kHigh.high = H;
  return out;
}
