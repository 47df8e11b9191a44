// Market data as Blotter serves it: symbols with their exchange filters, candles and tickers.
import Type, { type Static } from 'typebox';
import { Asset, Decimal, MarketSymbol, Timestamp } from '../primitives.ts';

export const SymbolInfo = Type.Object(
  {
    symbol: MarketSymbol,
    baseAsset: Asset,
    quoteAsset: Asset,
    /** PRICE_FILTER: prices are multiples of this. */
    tickSize: Decimal,
    /** LOT_SIZE: quantities are multiples of this. */
    stepSize: Decimal,
    minQty: Decimal,
    maxQty: Decimal,
    minPrice: Decimal,
    maxPrice: Decimal,
    /** NOTIONAL: price x quantity must be at least this. */
    minNotional: Decimal,
    /**
     * PERCENT_PRICE_BY_SIDE: a BUY's limit price must lie within [bidDown, bidUp] × the market
     * price, a SELL's within [askDown, askUp]. Absent when the venue has no such filter.
     */
    percentPrice: Type.Optional(
      Type.Object({ bidUp: Decimal, bidDown: Decimal, askUp: Decimal, askDown: Decimal }, { additionalProperties: false }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        symbol: 'BTCUSDT',
        baseAsset: 'BTC',
        quoteAsset: 'USDT',
        tickSize: '0.01',
        stepSize: '0.00001',
        minQty: '0.00001',
        maxQty: '9000',
        minPrice: '0.01',
        maxPrice: '1000000',
        minNotional: '5',
        percentPrice: { bidUp: '5', bidDown: '0.2', askUp: '5', askDown: '0.2' },
      },
    ],
  },
);
export type SymbolInfo = Static<typeof SymbolInfo>;

export const CandleInterval = Type.Enum(['1m', '5m', '1h', '1d', '1w']);
export type CandleInterval = Static<typeof CandleInterval>;

export const Candle = Type.Object(
  {
    openTime: Timestamp,
    open: Decimal,
    high: Decimal,
    low: Decimal,
    close: Decimal,
    volume: Decimal,
  },
  {
    additionalProperties: false,
    examples: [
      {
        openTime: '2026-11-24T12:00:00.000Z',
        open: '64010.5',
        high: '64100',
        low: '63950.25',
        close: '64080.1',
        volume: '12.3456',
      },
    ],
  },
);
export type Candle = Static<typeof Candle>;

export const Ticker = Type.Object(
  { symbol: MarketSymbol, price: Decimal, at: Timestamp },
  { additionalProperties: false, examples: [{ symbol: 'BTCUSDT', price: '64080.1', at: '2026-11-24T12:00:30.000Z' }] },
);
export type Ticker = Static<typeof Ticker>;

/** A candle published on NATS carries its symbol and interval. */
export const CandleUpdate = Type.Object(
  { symbol: MarketSymbol, interval: CandleInterval, candle: Candle },
  {
    additionalProperties: false,
    examples: [
      {
        symbol: 'BTCUSDT',
        interval: '1m',
        candle: {
          openTime: '2026-11-24T12:00:00.000Z',
          open: '64010.5',
          high: '64100',
          low: '63950.25',
          close: '64080.1',
          volume: '12.3456',
        },
      },
    ],
  },
);
export type CandleUpdate = Static<typeof CandleUpdate>;
