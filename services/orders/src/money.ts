// Decimal arithmetic for money. Every price, quantity and amount is a decimal string on the wire and
// a big.js value in between: no float ever rounds a balance. A private Big constructor keeps these
// settings from leaking into (or being changed by) any other user of big.js in the process.
import BigLib, { type Big } from 'big.js';

export const D = BigLib();
/** Decimal places kept by divisions (average prices); far beyond any exchange tick. */
D.DP = 18;
D.RM = D.roundHalfEven;
// Never switch to exponent notation: "1e-7" is not a valid decimal in the public contract.
D.NE = -50;
D.PE = 50;

export type Dec = Big;
export type DecInput = string | number | Big;

export const dec = (v: DecInput): Big => new D(v);

/** Plain notation, no exponent, no trailing zeros: "0.00000010" becomes "0.0000001". */
export const str = (v: Big): string => v.toFixed();

export const ZERO = new D(0);

export const sum = (values: readonly DecInput[]): Big => values.reduce<Big>((acc, v) => acc.plus(v), ZERO);

export const minOf = (a: Big, b: Big): Big => (a.lte(b) ? a : b);
export const maxOf = (a: Big, b: Big): Big => (a.gte(b) ? a : b);

/** True when `value` is a whole number of `step`s above `base` (Binance's filter rule). */
export function onGrid(value: DecInput, step: DecInput, base: DecInput = 0): boolean {
  const s = dec(step);
  if (s.eq(0)) return true;
  return dec(value).minus(base).mod(s).eq(0);
}

/** Rounds down to a multiple of `step` (what a venue accepts for a quantity). */
export function floorToStep(value: DecInput, step: DecInput): Big {
  const s = dec(step);
  if (s.eq(0)) return dec(value);
  return dec(value).div(s).round(0, D.roundDown).times(s);
}

/** Number of decimals a step allows, e.g. "0.00100" gives 3. */
export function decimalsOf(step: DecInput): number {
  const [, frac = ''] = str(dec(step)).split('.');
  return frac.length;
}
