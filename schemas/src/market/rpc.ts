// The market feed's request/reply bodies on NATS (`<ns>.market.rpc.candles|ticker`): declared once,
// validated by the feed, referenced by the AsyncAPI document.
import Type from 'typebox';
import { MarketSymbol } from '../primitives.ts';
import { CandleInterval } from './market.ts';

export const CANDLES_EXAMPLE = { symbol: 'BTCUSDT', interval: '1m', limit: 500 };
export const CandlesRequest = Type.Object(
  { symbol: MarketSymbol, interval: CandleInterval, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
  { examples: [CANDLES_EXAMPLE] },
);
export const TICKER_EXAMPLE = { symbol: 'BTCUSDT' };
export const TickerRequest = Type.Object({ symbol: MarketSymbol }, { examples: [TICKER_EXAMPLE] });
export const MarketRpcError = Type.Object(
  { error: Type.Object({ message: Type.String() }) },
  { description: 'What the market feed answers to a request it cannot serve.', examples: [{ error: { message: 'unknown symbol' } }] },
);
