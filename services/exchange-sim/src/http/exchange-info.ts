// GET /api/v3/exchangeInfo, in Binance's shape. Only what the simulator enforces is advertised:
// no iceberg, OCO, trailing stops or cancel-replace.
import { fmt8 } from '../decimal.ts';
import { MAX_NUM_ALGO_ORDERS, MAX_NUM_ORDERS } from '../engine/filters.ts';
import { ORDER_TYPES } from '../engine/types.ts';
import type { SymbolSpec } from '../market/symbols.ts';

export const RATE_LIMITS = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
  { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
];

export const symbolInfo = (s: SymbolSpec) => ({
  symbol: s.symbol,
  status: 'TRADING',
  baseAsset: s.baseAsset,
  baseAssetPrecision: 8,
  quoteAsset: s.quoteAsset,
  quotePrecision: 8,
  quoteAssetPrecision: 8,
  baseCommissionPrecision: 8,
  quoteCommissionPrecision: 8,
  orderTypes: ORDER_TYPES,
  icebergAllowed: false,
  ocoAllowed: false,
  otoAllowed: false,
  quoteOrderQtyMarketAllowed: true,
  allowTrailingStop: false,
  cancelReplaceAllowed: false,
  amendAllowed: false,
  isSpotTradingAllowed: true,
  isMarginTradingAllowed: false,
  filters: [
    { filterType: 'PRICE_FILTER', minPrice: fmt8(s.minPrice), maxPrice: fmt8(s.maxPrice), tickSize: fmt8(s.tickSize) },
    { filterType: 'LOT_SIZE', minQty: fmt8(s.minQty), maxQty: fmt8(s.maxQty), stepSize: fmt8(s.stepSize) },
    { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: fmt8(s.marketMaxQty), stepSize: '0.00000000' },
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
      minNotional: fmt8(s.minNotional),
      applyMinToMarket: true,
      maxNotional: fmt8(s.maxNotional),
      applyMaxToMarket: false,
      avgPriceMins: 5,
    },
    { filterType: 'MAX_NUM_ORDERS', maxNumOrders: MAX_NUM_ORDERS },
    { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: MAX_NUM_ALGO_ORDERS },
  ],
  permissions: [],
  permissionSets: [['SPOT']],
  defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
  allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'],
});

export const exchangeInfo = (symbols: readonly SymbolSpec[], now: number) => ({
  timezone: 'UTC',
  serverTime: now,
  rateLimits: RATE_LIMITS,
  exchangeFilters: [],
  symbols: symbols.map(symbolInfo),
});
