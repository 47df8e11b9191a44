import Type from 'typebox';
import { Candle, CandleInterval, SymbolInfo } from '../market/market.ts';
import { MarketSymbol } from '../primitives.ts';

export const SymbolParams = Type.Object({ symbol: MarketSymbol }, { additionalProperties: false });
export const CandlesQuery = Type.Object(
  {
    interval: Type.Optional(CandleInterval),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

/** GET /api/market/symbols response. */
export const SymbolList = Type.Array(SymbolInfo);
/** GET /api/market/:symbol/candles response, oldest first. */
export const CandleList = Type.Array(Candle);
