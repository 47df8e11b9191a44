import Type, { type Static } from 'typebox';
import { AssetAmount, Id, MarketSymbol, Nullable, SignedDecimal } from '../primitives.ts';

/** A position under the average-cost method. Fees are counted in the quote asset, and listed as charged. */
export const Position = Type.Object(
  {
    userId: Id,
    symbol: MarketSymbol,
    quantity: SignedDecimal,
    avgEntryPrice: SignedDecimal,
    /** The latest price known when the position was read; null if the market feed has none yet. */
    markPrice: Nullable(SignedDecimal),
    /** (price - avgEntryPrice) x quantity on every reduction, minus every fee. */
    realizedPnl: SignedDecimal,
    /** (markPrice - avgEntryPrice) x quantity; null without a mark price. */
    unrealizedPnl: Nullable(SignedDecimal),
    /** Every fee in the quote asset: a base fee at the fill price, a third asset (BNB) at the venue's price then. */
    fees: SignedDecimal,
    /** The fees as charged, one entry per commission asset, by asset name. */
    feesByAsset: Type.Array(AssetAmount),
    version: Type.Integer(),
  },
  {
    additionalProperties: false,
    examples: [
      {
        userId: '0192f4a7-0000-7000-8000-000000000001',
        symbol: 'BTCUSDT',
        quantity: '0.5',
        avgEntryPrice: '100',
        markPrice: '110',
        realizedPnl: '9.89',
        unrealizedPnl: '5',
        fees: '0.11',
        feesByAsset: [
          { asset: 'BNB', amount: '0.00018' },
          { asset: 'USDT', amount: '0.002' },
        ],
        version: 44,
      },
    ],
  },
);
export type Position = Static<typeof Position>;
