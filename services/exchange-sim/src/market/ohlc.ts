// A candle in float space. Floats are fine here: prices are snapped to the tick size before they are
// shown or traded, and snapping is monotone, so aggregates stay consistent after rounding.
export interface Ohlc {
  open: number;
  high: number;
  low: number;
  close: number;
  /** Base volume; parents split theirs among children, so sums agree across intervals. */
  volume: number;
}

export const merge = (a: Ohlc, b: Ohlc): Ohlc => ({
  open: a.open,
  high: Math.max(a.high, b.high),
  low: Math.min(a.low, b.low),
  close: b.close,
  volume: a.volume + b.volume,
});
