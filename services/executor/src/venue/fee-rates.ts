// The rate that values a fee charged in a third asset. Binance takes a fill's commission in the asset
// received, in the quote asset, or (when the account pays fees with BNB) in BNB; only the last has no
// price of its own in the trade. For such a fill the adapter asks the venue for the price of
// <feeAsset><quoteAsset> (or of the inverse pair) as it records the fill, and puts it on the fill as
// feeQuoteRate; the decider writes it into the OrderFilled event, so every replay values the fee
// the same way. A fill reported as it happens is priced within moments of its execution; one found
// later (a poll, reconciliation) at the venue's price when it was found.
import { dec, str } from '@blotter/orders';
import type { SymbolInfo, VenueFill } from '@blotter/schemas';
import type { Logger } from '@blotter/eventstore/logger';
import { type VenueOrderReport, VenueRejectedError, VenueUnavailableError } from './types.ts';

export interface FeeRateSources {
  /** The venue's trading symbols (cached exchangeInfo). */
  symbols(): Promise<SymbolInfo[]>;
  /** The venue's last price of one symbol. */
  price(symbol: string): Promise<string>;
}

/** By name alone: the asset is the symbol's base or quote (the common case, no request needed). */
const namedIn = (symbol: string, asset: string) => symbol.startsWith(asset) || symbol.endsWith(asset);

export class FeeRates {
  constructor(
    private readonly sources: FeeRateSources,
    private readonly log: Logger,
  ) {}

  /**
   * The report with feeQuoteRate on every fill charged in an asset other than the symbol's base and
   * quote. Fails (VenueUnavailableError or the venue's own error) when the venue could not be asked:
   * the caller records nothing and the order is looked up again later, so no fill is ever recorded
   * without the rate the venue could give. A pair the venue does not trade gives no rate.
   */
  async withRates(report: VenueOrderReport): Promise<VenueOrderReport> {
    if (report.fills.every((f) => namedIn(report.symbol, f.feeAsset))) return report;
    const symbols = await this.sources.symbols();
    const symbol = symbols.find((s) => s.symbol === report.symbol);
    if (!symbol) return report;
    const third = (f: VenueFill) => f.feeAsset !== symbol.baseAsset && f.feeAsset !== symbol.quoteAsset;
    const rates = new Map<string, string | null>();
    for (const asset of new Set(report.fills.filter(third).map((f) => f.feeAsset))) {
      rates.set(asset, await this.rateOf(asset, symbol.quoteAsset, symbols));
    }
    return {
      ...report,
      fills: report.fills.map((f) => {
        const rate = third(f) ? rates.get(f.feeAsset) : null;
        return rate ? { ...f, feeQuoteRate: rate } : f;
      }),
    };
  }

  /** The price of one `asset` in `quote`: from <asset><quote>, or 1 / the price of <quote><asset>. */
  private async rateOf(asset: string, quote: string, symbols: readonly SymbolInfo[]): Promise<string | null> {
    const direct = symbols.find((s) => s.baseAsset === asset && s.quoteAsset === quote);
    const inverse = symbols.find((s) => s.baseAsset === quote && s.quoteAsset === asset);
    const pair = direct ?? inverse;
    if (!pair) {
      this.log.warn({ asset, quote }, 'a fee in an asset the venue does not price in the quote asset: recorded without a rate');
      return null;
    }
    let price: string;
    try {
      price = await this.sources.price(pair.symbol);
    } catch (err) {
      // A refusal here is about the price request, never about the order whose fill is being
      // recorded: it must not read as the order's rejection.
      if (err instanceof VenueRejectedError) throw new VenueUnavailableError(`could not price ${pair.symbol} for a fee: ${err.message}`);
      throw err;
    }
    if (dec(price).lte(0)) throw new VenueUnavailableError(`the venue priced ${pair.symbol} at ${price}`);
    return direct ? price : str(dec(1).div(price));
  }
}
