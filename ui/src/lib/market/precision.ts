// Formatting of a row whose symbol may or may not be in the symbol list (an old position in a
// market since delisted still has to show).
import type { SymbolInfo } from '@blotter/schemas';
import { formatAmount, formatPrice, formatQuantity } from '../format.ts';

export type SymbolLookup = (symbol: string) => SymbolInfo | undefined;

export function lookup(symbols: readonly SymbolInfo[]): SymbolLookup {
  const map = new Map(symbols.map((s) => [s.symbol, s]));
  return (symbol) => map.get(symbol);
}

export const priceIn = (info: SymbolInfo | undefined, value: string | null | undefined) =>
  info ? formatPrice(value, info) : formatAmount(value);
export const quantityIn = (info: SymbolInfo | undefined, value: string | null | undefined) =>
  info ? formatQuantity(value, info) : formatAmount(value);
