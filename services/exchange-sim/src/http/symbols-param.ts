import { errors } from '../errors.ts';
import type { Market } from '../market/market.ts';
import { SYMBOLS, type SymbolSpec } from '../market/symbols.ts';
import type { Params } from '../params.ts';

/** `symbol=X`, `symbols=["X","Y"]`, or neither (all listed symbols); `single` says which form was used. */
export function selectSymbols(p: Params, market: Market): { specs: SymbolSpec[]; single: boolean } {
  const one = p.string('symbol');
  if (one !== undefined) return { specs: [market.spec(one)], single: true };
  const many = p.string('symbols');
  if (many === undefined) return { specs: [...SYMBOLS], single: false };
  let names: unknown;
  try {
    names = JSON.parse(many);
  } catch {
    throw errors.illegalChars('symbols', '^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$');
  }
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw errors.invalidParam('symbols');
  return { specs: names.map((n: string) => market.spec(n)), single: false };
}
