// exchangeInfo → SymbolInfo: every Binance Spot filter Blotter checks is mirrored, in Binance's own
// shapes (https://developers.binance.com/docs/binance-spot-api-docs/filters), values normalised.
import t from 'tap';
import { MalformedVenueData, toSymbols } from '../src/mapping.ts';

const symbol = (name: string, filters: unknown[], extra: Record<string, unknown> = {}) => ({
  symbol: name,
  status: 'TRADING',
  baseAsset: name.slice(0, 3),
  quoteAsset: 'USDT',
  baseAssetPrecision: 8,
  quotePrecision: 8,
  quoteAssetPrecision: 8,
  filters,
  ...extra,
});
const core = [
  { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '0.00000000', tickSize: '0.01000000' },
  { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
];

t.test('every filter the venue lists, with the exchange-wide limits on each symbol', async (t) => {
  const raw = {
    exchangeFilters: [
      { filterType: 'EXCHANGE_MAX_NUM_ORDERS', maxNumOrders: 1000 },
      { filterType: 'EXCHANGE_MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 200 },
    ],
    symbols: [
      symbol('BTCUSDT', [
        ...core,
        { filterType: 'ICEBERG_PARTS', limit: 10 },
        { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '91.29545479', stepSize: '0.00000000' },
        {
          filterType: 'TRAILING_DELTA',
          minTrailingAboveDelta: 10,
          maxTrailingAboveDelta: 2000,
          minTrailingBelowDelta: 10,
          maxTrailingBelowDelta: 2000,
        },
        {
          filterType: 'PERCENT_PRICE_BY_SIDE',
          bidMultiplierUp: '5',
          bidMultiplierDown: '0.2',
          askMultiplierUp: '5',
          askMultiplierDown: '0.2',
          avgPriceMins: 5,
        },
        {
          filterType: 'NOTIONAL',
          minNotional: '5.00000000',
          applyMinToMarket: true,
          maxNotional: '9000000.00000000',
          applyMaxToMarket: false,
          avgPriceMins: 5,
        },
        { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
        { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
        { filterType: 'MAX_POSITION', maxPosition: '10.00000000' },
      ]),
    ],
  };
  t.same(toSymbols(raw, ['BTCUSDT']), [
    {
      symbol: 'BTCUSDT',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      tickSize: '0.01',
      stepSize: '0.00001',
      minQty: '0.00001',
      maxQty: '9000',
      minPrice: '0.01',
      maxPrice: '0',
      minNotional: '5',
      maxNotional: '9000000',
      applyMinToMarket: true,
      applyMaxToMarket: false,
      avgPriceMins: 5,
      baseAssetPrecision: 8,
      quoteAssetPrecision: 8,
      marketLotSize: { minQty: '0', maxQty: '91.29545479', stepSize: '0' },
      percentPrice: { bidUp: '5', bidDown: '0.2', askUp: '5', askDown: '0.2' },
      maxNumOrders: 200,
      maxNumAlgoOrders: 5,
      maxPosition: '10',
      exchangeMaxNumOrders: 1000,
      exchangeMaxNumAlgoOrders: 200,
    },
  ]);
});

t.test('the older filters: MIN_NOTIONAL (applyToMarket) and PERCENT_PRICE (one band)', async (t) => {
  const raw = {
    symbols: [
      symbol('ETHUSDT', [
        ...core,
        { filterType: 'MIN_NOTIONAL', minNotional: '10.00000000', applyToMarket: false, avgPriceMins: 0 },
        { filterType: 'PERCENT_PRICE', multiplierUp: '1.3000', multiplierDown: '0.7000', avgPriceMins: 5 },
      ]),
    ],
  };
  t.match(toSymbols(raw, ['ETHUSDT']), [
    { minNotional: '10', applyMinToMarket: false, avgPriceMins: 0, percentPriceBand: { up: '1.3', down: '0.7' } },
  ]);
  const [eth] = toSymbols(raw, ['ETHUSDT']);
  t.notOk(eth && 'maxNotional' in eth, 'no maximum when the venue lists none');
  t.notOk(eth && 'marketLotSize' in eth);
});

t.test('symbols not wanted or not trading are skipped; a malformed or missing core filter is an error', async (t) => {
  const halted = symbol('SOLUSDT', core, { status: 'BREAK' });
  t.same(toSymbols({ symbols: [halted, symbol('ETHUSDT', core)] }, ['SOLUSDT']), []);
  t.throws(() => toSymbols({ symbols: [symbol('ETHUSDT', core)] }, ['ETHUSDT']), MalformedVenueData, 'no NOTIONAL');
  const bad = [...core, { filterType: 'NOTIONAL', minNotional: '5', applyMinToMarket: 'yes' }];
  t.throws(() => toSymbols({ symbols: [symbol('ETHUSDT', bad)] }, ['ETHUSDT']), /NOTIONAL in an unexpected shape/);
  const badCount = [...core, { filterType: 'MIN_NOTIONAL', minNotional: '5' }, { filterType: 'MAX_NUM_ORDERS', maxNumOrders: -1 }];
  t.throws(() => toSymbols({ symbols: [symbol('ETHUSDT', badCount)] }, ['ETHUSDT']), /MAX_NUM_ORDERS/);
});
