// The listed symbols, with filter values copied from Binance's own BTCUSDT/ETHUSDT/SOLUSDT/BNBUSDT
// listings so that order-sizing code written against the simulator also passes on the venue. The
// filters are data in Binance's own terms (one object per filterType), so exchangeInfo serves
// exactly what the engine enforces, and an instance can override any field (tests use that to
// switch a rule off with "0", as Binance does).
import { Big } from '../decimal.ts';

export interface PriceFilter {
  /** 0 disables the rule, as on Binance. */
  minPrice: Big;
  maxPrice: Big;
  tickSize: Big;
}

export interface LotFilter {
  minQty: Big;
  maxQty: Big;
  /** 0 disables the step rule (Binance's MARKET_LOT_SIZE usually has stepSize 0). */
  stepSize: Big;
}

export interface PercentPriceBySide {
  bidMultiplierUp: Big;
  bidMultiplierDown: Big;
  askMultiplierUp: Big;
  askMultiplierDown: Big;
  /** Minutes of the average price the band is centred on; 0 = the last price. */
  avgPriceMins: number;
}

export interface NotionalFilter {
  minNotional: Big;
  applyMinToMarket: boolean;
  maxNotional: Big;
  applyMaxToMarket: boolean;
  avgPriceMins: number;
}

export interface SymbolFilters {
  price: PriceFilter;
  lot: LotFilter;
  marketLot: LotFilter;
  percentPriceBySide: PercentPriceBySide;
  notional: NotionalFilter;
  maxNumOrders: number;
  maxNumAlgoOrders: number;
  maxNumOrderAmends: number;
}

export interface SymbolSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  /** Where the seeded price process is centred. */
  anchorPrice: number;
  /** Scales every volatility component: alts swing more than BTC. */
  volMultiplier: number;
  /** Base quantity the market maker quotes on its best level. */
  bookLevelQty: Big;
  /** Rough base volume per day, for klines. */
  dailyVolume: number;
  filters: SymbolFilters;
}

/** Per-symbol filter fields an instance replaces (decimal strings; integers for the counts). */
export type FilterOverrides = {
  [K in keyof SymbolFilters]?: SymbolFilters[K] extends number ? number : { [F in keyof SymbolFilters[K]]?: string | number | boolean };
};

export const EXCHANGE_MAX_NUM_ORDERS = 1000;
export const EXCHANGE_MAX_NUM_ALGO_ORDERS = 200;

const spec = (s: {
  symbol: string;
  base: string;
  anchor: number;
  vol: number;
  levelQty: string;
  dailyVolume: number;
  step: string;
  marketMaxQty: string;
}): SymbolSpec => ({
  symbol: s.symbol,
  baseAsset: s.base,
  quoteAsset: 'USDT',
  anchorPrice: s.anchor,
  volMultiplier: s.vol,
  bookLevelQty: new Big(s.levelQty),
  dailyVolume: s.dailyVolume,
  filters: {
    price: { minPrice: new Big('0.01'), maxPrice: new Big('1000000'), tickSize: new Big('0.01') },
    lot: { minQty: new Big(s.step), maxQty: new Big('9000'), stepSize: new Big(s.step) },
    marketLot: { minQty: new Big(0), maxQty: new Big(s.marketMaxQty), stepSize: new Big(0) },
    percentPriceBySide: {
      bidMultiplierUp: new Big(5),
      bidMultiplierDown: new Big('0.2'),
      askMultiplierUp: new Big(5),
      askMultiplierDown: new Big('0.2'),
      avgPriceMins: 5,
    },
    notional: {
      minNotional: new Big(5),
      applyMinToMarket: true,
      maxNotional: new Big(9_000_000),
      applyMaxToMarket: false,
      avgPriceMins: 5,
    },
    maxNumOrders: 200,
    maxNumAlgoOrders: 5,
    maxNumOrderAmends: 10,
  },
});

export const SYMBOLS: readonly SymbolSpec[] = [
  spec({
    symbol: 'BTCUSDT',
    base: 'BTC',
    anchor: 65_000,
    vol: 1,
    levelQty: '0.4',
    dailyVolume: 20_000,
    step: '0.00001',
    marketMaxQty: '120',
  }),
  spec({
    symbol: 'ETHUSDT',
    base: 'ETH',
    anchor: 3_000,
    vol: 1.25,
    levelQty: '8',
    dailyVolume: 350_000,
    step: '0.0001',
    marketMaxQty: '3000',
  }),
  spec({
    symbol: 'SOLUSDT',
    base: 'SOL',
    anchor: 150,
    vol: 1.6,
    levelQty: '160',
    dailyVolume: 3_000_000,
    step: '0.001',
    marketMaxQty: '50000',
  }),
  spec({
    symbol: 'BNBUSDT',
    base: 'BNB',
    anchor: 600,
    vol: 1.1,
    levelQty: '40',
    dailyVolume: 500_000,
    step: '0.001',
    marketMaxQty: '9000',
  }),
];

export const ASSETS: readonly string[] = ['USDT', ...SYMBOLS.map((s) => s.baseAsset)];

export class FilterOverrideError extends Error {
  override name = 'FilterOverrideError';
}

const isFilterName = (name: string, filters: SymbolFilters): name is keyof SymbolFilters => Object.hasOwn(filters, name);

/** A copy of `base` with the given filter fields replaced; unknown symbols or fields are refused. */
export function withOverrides(base: readonly SymbolSpec[], overrides: Record<string, FilterOverrides> = {}): SymbolSpec[] {
  for (const symbol of Object.keys(overrides)) {
    if (!base.some((s) => s.symbol === symbol)) throw new FilterOverrideError(`filter override for an unlisted symbol ${symbol}`);
  }
  return base.map((s) => {
    const o = overrides[s.symbol];
    if (!o) return s;
    const filters: SymbolFilters = { ...s.filters };
    for (const [name, value] of Object.entries(o)) {
      if (!isFilterName(name, filters)) throw new FilterOverrideError(`unknown filter ${name}`);
      const key = name;
      const current = filters[key];
      if (typeof current === 'number') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new FilterOverrideError(`${name} must be an integer`);
        Object.assign(filters, { [key]: value });
        continue;
      }
      if (typeof value !== 'object' || value === null) throw new FilterOverrideError(`${name} must be an object`);
      const next: Record<string, unknown> = { ...current };
      for (const [field, v] of Object.entries(value)) {
        const was = next[field];
        if (was === undefined) throw new FilterOverrideError(`unknown field ${name}.${field}`);
        if (typeof was === 'boolean' || typeof was === 'number') {
          if (typeof v !== typeof was) throw new FilterOverrideError(`${name}.${field} must be a ${typeof was}`);
          next[field] = v;
        } else {
          if (typeof v !== 'string' || !/^[0-9]{1,20}(\.[0-9]{1,8})?$/.test(v))
            throw new FilterOverrideError(`${name}.${field} must be a decimal string`);
          next[field] = new Big(v);
        }
      }
      Object.assign(filters, { [key]: next });
    }
    return { ...s, filters };
  });
}
