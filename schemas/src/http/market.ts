import Type from 'typebox';
import { CandleInterval } from '../market/market.ts';
import { MarketSymbol } from '../primitives.ts';

export const SymbolParams = Type.Object({ symbol: MarketSymbol }, { additionalProperties: false });
export const CandlesQuery = Type.Object(
  {
    interval: Type.Optional(CandleInterval),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
