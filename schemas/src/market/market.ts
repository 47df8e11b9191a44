// Market data as Blotter serves it: symbols with their exchange filters, candles and tickers.
import Type, { type Static } from 'typebox';
import { Asset, Decimal, MarketSymbol, Timestamp } from '../primitives.ts';

/** The Binance filters Blotter checks before an order leaves it (named in FILTER_FAILURE denials). */
export const FILTER_NAMES = [
  'PRICE_FILTER',
  'PERCENT_PRICE',
  'PERCENT_PRICE_BY_SIDE',
  'LOT_SIZE',
  'MARKET_LOT_SIZE',
  'NOTIONAL',
  'MAX_NUM_ORDERS',
  'MAX_NUM_ALGO_ORDERS',
  'MAX_POSITION',
  'EXCHANGE_MAX_NUM_ORDERS',
  'EXCHANGE_MAX_NUM_ALGO_ORDERS',
] as const;
export const FilterName = Type.Enum(FILTER_NAMES);
export type FilterName = Static<typeof FilterName>;

const Count = Type.Integer({ minimum: 0 });
/** Decimal places (Binance's baseAssetPrecision / quoteAssetPrecision). */
const Precision = Type.Integer({ minimum: 0, maximum: 18 });

/**
 * A symbol and the venue's filters for it, as its exchangeInfo lists them. Each optional part is
 * absent when the venue does not list that filter. Binance's iceberg, trailing-stop, amend and
 * order-list filters (ICEBERG_PARTS, MAX_NUM_ICEBERG_ORDERS, TRAILING_DELTA, MAX_NUM_ORDER_AMENDS,
 * MAX_NUM_ORDER_LISTS) are not mirrored: Blotter places none of those orders.
 */
export const SymbolInfo = Type.Object(
  {
    symbol: MarketSymbol,
    baseAsset: Asset,
    quoteAsset: Asset,
    /** PRICE_FILTER: prices are multiples of this ("0": any price). */
    tickSize: Decimal,
    /** LOT_SIZE: quantities are multiples of this. */
    stepSize: Decimal,
    minQty: Decimal,
    maxQty: Decimal,
    /** PRICE_FILTER bounds; "0" disables a bound. */
    minPrice: Decimal,
    maxPrice: Decimal,
    /** NOTIONAL (or the older MIN_NOTIONAL): price x quantity must be at least this. */
    minNotional: Decimal,
    /** NOTIONAL: price x quantity may be at most this; absent when the venue sets no maximum. */
    maxNotional: Type.Optional(Decimal),
    /** Whether minNotional applies to MARKET orders too (MIN_NOTIONAL's applyToMarket); absent means it does. */
    applyMinToMarket: Type.Optional(Type.Boolean()),
    /** Whether maxNotional applies to MARKET orders too; absent means it does not. */
    applyMaxToMarket: Type.Optional(Type.Boolean()),
    /**
     * The venue values a MARKET order (and a price band) at its average price over this many
     * minutes (0: the last price). Blotter estimates with the last price it knows (the mark price).
     */
    avgPriceMins: Type.Optional(Count),
    /** Most decimals a quantity may have (more is refused by the venue as -1111). */
    baseAssetPrecision: Type.Optional(Precision),
    /** Most decimals a price or stop price may have. */
    quoteAssetPrecision: Type.Optional(Precision),
    /** MARKET_LOT_SIZE: the quantity rules of MARKET orders, on top of LOT_SIZE; a stepSize of "0" sets no step. */
    marketLotSize: Type.Optional(Type.Object({ minQty: Decimal, maxQty: Decimal, stepSize: Decimal }, { additionalProperties: false })),
    /**
     * PERCENT_PRICE_BY_SIDE: a BUY's limit price must lie within [bidDown, bidUp] × the market
     * price, a SELL's within [askDown, askUp]. Absent when the venue has no such filter.
     */
    percentPrice: Type.Optional(
      Type.Object({ bidUp: Decimal, bidDown: Decimal, askUp: Decimal, askDown: Decimal }, { additionalProperties: false }),
    ),
    /** PERCENT_PRICE (the older, one-band filter): a limit price within [down, up] × the market price. */
    percentPriceBand: Type.Optional(Type.Object({ up: Decimal, down: Decimal }, { additionalProperties: false })),
    /** MAX_NUM_ORDERS: open orders allowed on this symbol (stop orders included). */
    maxNumOrders: Type.Optional(Count),
    /** MAX_NUM_ALGO_ORDERS: open stop orders (STOP_LOSS*, TAKE_PROFIT*) allowed on this symbol. */
    maxNumAlgoOrders: Type.Optional(Count),
    /** MAX_POSITION: free + locked base plus open BUY quantity may not exceed this. */
    maxPosition: Type.Optional(Decimal),
    /** EXCHANGE_MAX_NUM_ORDERS / _ALGO_ORDERS: the account-wide limits, carried with every symbol. */
    exchangeMaxNumOrders: Type.Optional(Count),
    exchangeMaxNumAlgoOrders: Type.Optional(Count),
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
        maxNotional: '9000000',
        applyMinToMarket: true,
        applyMaxToMarket: false,
        avgPriceMins: 5,
        baseAssetPrecision: 8,
        quoteAssetPrecision: 8,
        marketLotSize: { minQty: '0', maxQty: '120', stepSize: '0' },
        percentPrice: { bidUp: '5', bidDown: '0.2', askUp: '5', askDown: '0.2' },
        maxNumOrders: 200,
        maxNumAlgoOrders: 5,
      },
    ],
  },
);
export type SymbolInfo = Static<typeof SymbolInfo>;

export const CANDLE_INTERVALS = ['1m', '5m', '1h', '1d', '1w'] as const;
export const CandleInterval = Type.Enum(CANDLE_INTERVALS);
export type CandleInterval = Static<typeof CandleInterval>;
export const isCandleInterval = (v: string): v is CandleInterval => (CANDLE_INTERVALS as readonly string[]).includes(v);

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
