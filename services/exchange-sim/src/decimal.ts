// Money is decimal, never float: everything the venue books goes through big.js and leaves as a
// Binance-style string with 8 decimals ("0.00100000").
import Big from 'big.js';

export { Big };

export const ZERO = new Big(0);

export const fmt8 = (x: Big): string => x.toFixed(8, Big.roundDown);

/** Number of digits after the decimal point as written by the client ("0.0010" → 4). */
export const decimalsOf = (s: string): number => {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
};

export const isMultipleOf = (x: Big, step: Big): boolean => step.eq(0) || x.mod(step).eq(0);

export const floorTo = (x: Big, step: Big): Big => (step.eq(0) ? x : x.div(step).round(0, Big.roundDown).times(step));

export const ceilTo = (x: Big, step: Big): Big => (step.eq(0) ? x : x.div(step).round(0, Big.roundUp).times(step));

/** A float from the price process, pinned to a decimal grid before it touches any balance. */
export const fromFloat = (x: number, step: Big): Big => {
  const rounded = new Big(x.toFixed(10));
  return step.eq(0) ? rounded : rounded.div(step).round(0, Big.roundHalfUp).times(step);
};

export const minBig = (a: Big, b: Big): Big => (a.lt(b) ? a : b);
export const maxBig = (a: Big, b: Big): Big => (a.gt(b) ? a : b);
