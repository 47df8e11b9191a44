// GET /api/v3/exchangeInfo in Binance's shape. Every filter listed is one the engine enforces
// (engine/filters.ts), with the instance's values; what the venue does not model (iceberg,
// order lists, trailing stops, pegs, SOR) is switched off here rather than silently ignored.
import type { Limits } from '../config.ts';
import { type Big, fmt8 } from '../decimal.ts';
import { ORDER_TYPES, STP_MODES, DEFAULT_STP_MODE } from '../engine/types.ts';
import { EXCHANGE_MAX_NUM_ALGO_ORDERS, EXCHANGE_MAX_NUM_ORDERS, type SymbolSpec } from '../market/symbols.ts';

export const rateLimitsOf = (l: Limits) => [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: l.requestWeightPerMinute },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: l.ordersPer10s },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: l.ordersPerDay },
  { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: l.rawRequestsPer5m },
];

const d = (x: Big): string => fmt8(x);

/** The symbol's filters as Binance lists them, one object per filterType. */
export const filtersOf = (s: SymbolSpec) => {
  const f = s.filters;
  const pps = f.percentPriceBySide;
  return [
    { filterType: 'PRICE_FILTER', minPrice: d(f.price.minPrice), maxPrice: d(f.price.maxPrice), tickSize: d(f.price.tickSize) },
    { filterType: 'LOT_SIZE', minQty: d(f.lot.minQty), maxQty: d(f.lot.maxQty), stepSize: d(f.lot.stepSize) },
    {
      filterType: 'PERCENT_PRICE_BY_SIDE',
      bidMultiplierUp: pps.bidMultiplierUp.toString(),
      bidMultiplierDown: pps.bidMultiplierDown.toString(),
      askMultiplierUp: pps.askMultiplierUp.toString(),
      askMultiplierDown: pps.askMultiplierDown.toString(),
      avgPriceMins: pps.avgPriceMins,
    },
    {
      filterType: 'NOTIONAL',
      minNotional: d(f.notional.minNotional),
      applyMinToMarket: f.notional.applyMinToMarket,
      maxNotional: d(f.notional.maxNotional),
      applyMaxToMarket: f.notional.applyMaxToMarket,
      avgPriceMins: f.notional.avgPriceMins,
    },
    { filterType: 'MARKET_LOT_SIZE', minQty: d(f.marketLot.minQty), maxQty: d(f.marketLot.maxQty), stepSize: d(f.marketLot.stepSize) },
    { filterType: 'MAX_NUM_ORDERS', maxNumOrders: f.maxNumOrders },
    { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: f.maxNumAlgoOrders },
    { filterType: 'MAX_NUM_ORDER_AMENDS', maxNumOrderAmends: f.maxNumOrderAmends },
  ];
};

export const EXCHANGE_FILTERS = [
  { filterType: 'EXCHANGE_MAX_NUM_ORDERS', maxNumOrders: EXCHANGE_MAX_NUM_ORDERS },
  { filterType: 'EXCHANGE_MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: EXCHANGE_MAX_NUM_ALGO_ORDERS },
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
  opoAllowed: false,
  quoteOrderQtyMarketAllowed: true,
  allowTrailingStop: false,
  cancelReplaceAllowed: true,
  amendAllowed: true,
  pegInstructionsAllowed: false,
  isSpotTradingAllowed: true,
  isMarginTradingAllowed: false,
  filters: filtersOf(s),
  permissions: [],
  permissionSets: [['SPOT']],
  defaultSelfTradePreventionMode: DEFAULT_STP_MODE,
  allowedSelfTradePreventionModes: [...STP_MODES],
});

export const exchangeInfo = (symbols: readonly SymbolSpec[], limits: Limits, now: number) => ({
  timezone: 'UTC',
  serverTime: now,
  rateLimits: rateLimitsOf(limits),
  exchangeFilters: EXCHANGE_FILTERS,
  symbols: symbols.map(symbolInfo),
});
