// Fees per asset, and their value in the quote asset. Binance charges a fill's commission in the
// asset received, in the quote asset, or in a third asset (BNB, when the account pays fees with it);
// an order or a position may so owe several assets, each kept as charged. The value in the quote
// asset uses the rate recorded on the fill (OrderFilled.feeQuoteRate), so every replay agrees.
import type { AssetAmount } from '@blotter/schemas';
import { type Dec, dec, str, ZERO } from './money.ts';

/**
 * The rate that values a fill's fee in the quote asset: 1 for a quote fee, the fill's own price for
 * a base fee, and for any other asset the venue's price the executor recorded with the fill (null
 * when the venue had none).
 */
export function feeQuoteRateOf(
  fill: { feeAsset: string; price: string; feeQuoteRate?: string | undefined },
  assets: { baseAsset: string; quoteAsset: string },
): string | null {
  if (fill.feeAsset === assets.quoteAsset) return '1';
  if (fill.feeAsset === assets.baseAsset) return fill.price;
  return fill.feeQuoteRate ?? null;
}

/** The fee in the quote asset; a fee without a known rate counts 0 there (it stays listed per asset). */
export const feeInQuote = (fee: string, rate: string | null): Dec => (rate === null ? ZERO : dec(fee).times(rate));

/** `fees` with `amount` of `asset` added; sorted by asset name, a zero fee adds no entry. */
export function addFee(fees: readonly AssetAmount[], asset: string, amount: string): AssetAmount[] {
  if (dec(amount).eq(0)) return [...fees];
  const current = fees.find((f) => f.asset === asset);
  const rest = fees.filter((f) => f.asset !== asset);
  const next = { asset, amount: str(dec(current?.amount ?? '0').plus(amount)) };
  return [...rest, next].sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0));
}
