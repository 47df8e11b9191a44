import { errors } from '../errors.ts';
import type { Market } from '../market/market.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import type { Params } from '../params.ts';

const SYMBOLS_RANGE = '^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$';

/** `symbol=X`, `symbols=["X","Y"]`, or neither (every listed symbol); `single` says which form was used. */
export function selectSymbols(
  p: Params,
  market: Market,
  opts: { required?: boolean; max?: number } = {},
): { specs: SymbolSpec[]; single: boolean } {
  const one = p.string('symbol');
  const many = p.string('symbols');
  if (one !== undefined && many !== undefined) throw errors.badCombination();
  if (one !== undefined) return { specs: [market.spec(one)], single: true };
  if (many === undefined) {
    if (opts.required) throw errors.eitherParam('symbol', 'symbols');
    return { specs: market.specs(), single: false };
  }
  let names: unknown;
  try {
    names = JSON.parse(many);
  } catch {
    throw errors.illegalChars('symbols', SYMBOLS_RANGE);
  }
  if (!Array.isArray(names) || names.length === 0) throw errors.illegalChars('symbols', SYMBOLS_RANGE);
  const list: string[] = [];
  for (const n of names) {
    if (typeof n !== 'string') throw errors.illegalChars('symbols', SYMBOLS_RANGE);
    if (list.includes(n)) throw errors.duplicateSymbols();
    list.push(n);
  }
  if (opts.max !== undefined && list.length > opts.max) throw errors.invalidParam('symbols');
  return { specs: list.map((n) => market.spec(n)), single: false };
}

/** How many symbols a request names (for its weight). */
export function symbolCount(p: Params): number | undefined {
  if (p.has('symbol')) return 1;
  const many = p.string('symbols');
  if (many === undefined) return undefined;
  try {
    const names: unknown = JSON.parse(many);
    return Array.isArray(names) ? names.length : 1;
  } catch {
    return 1;
  }
}
