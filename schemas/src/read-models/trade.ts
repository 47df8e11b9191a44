import Type, { type Static } from 'typebox';
import { Asset, Decimal, Id, MarketSymbol, Side } from '../primitives.ts';

export const Trade = Type.Object(
  {
    tradeId: Type.String(),
    orderId: Id,
    userId: Id,
    symbol: MarketSymbol,
    side: Side,
    price: Decimal,
    quantity: Decimal,
    quoteQuantity: Decimal,
    fee: Decimal,
    feeAsset: Asset,
    at: Type.String({ format: 'date-time' }),
    version: Type.Integer(),
  },
  {
    additionalProperties: false,
    examples: [
      {
        tradeId: '9912',
        orderId: '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a',
        userId: '0192f4a7-0000-7000-8000-000000000001',
        symbol: 'BTCUSDT',
        side: 'BUY',
        price: '63990',
        quantity: '0.004',
        quoteQuantity: '255.96',
        fee: '0.000004',
        feeAsset: 'BTC',
        at: '2026-11-24T12:00:01.000Z',
        version: 43,
      },
    ],
  },
);
export type Trade = Static<typeof Trade>;
