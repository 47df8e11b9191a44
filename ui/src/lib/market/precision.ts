// Formatting of a row whose symbol may or may not be in the symbol list (an old position in a
// market since delisted still has to show), and of amounts of an asset at that asset's precision.
import type { SymbolInfo } from '@blotter/schemas';
import { assetDecimals, formatAmount, formatAssetAmount, formatFee, formatPrice, formatQuantity } from '../format.ts';

/** The symbol's filters by name, and (`asset`) the decimals an asset is shown at. */
export interface SymbolLookup {
  (symbol: string): SymbolInfo | undefined;
  asset: (asset: string) => number;
}

export function lookup(symbols: readonly SymbolInfo[]): SymbolLookup {
  const map = new Map(symbols.map((s) => [s.symbol, s]));
  const assets = new Map<string, number>();
  const asset = (name: string) => {
    const known = assets.get(name);
    if (known !== undefined) return known;
    const dp = assetDecimals(name, symbols);
    assets.set(name, dp);
    return dp;
  };
  return Object.assign((symbol: string) => map.get(symbol), { asset });
}

export const priceIn = (info: SymbolInfo | undefined, value: string | null | undefined) =>
  info ? formatPrice(value, info) : formatAmount(value);
export const quantityIn = (info: SymbolInfo | undefined, value: string | null | undefined) =>
  info ? formatQuantity(value, info) : formatAmount(value);
/** An amount of `asset` (a balance, a quote value) at the asset's decimals, truncated. */
export const amountIn = (infoOf: SymbolLookup, asset: string, value: string | null | undefined) =>
  formatAssetAmount(value, infoOf.asset(asset));
/** Fees as charged, one "amount ASSET" per commission asset: "0.000004 BTC · 0.0012 BNB". */
export const feesIn = (infoOf: SymbolLookup, fees: readonly { asset: string; amount: string }[] | undefined) =>
  fees && fees.length > 0 ? fees.map((f) => `${formatFee(f.amount, infoOf.asset(f.asset))} ${f.asset}`).join(' · ') : '—';
