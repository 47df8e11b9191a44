// The listed symbols, with filter values copied from Binance's own BTCUSDT/ETHUSDT/SOLUSDT/BNBUSDT
// listings so that order-sizing code written against the simulator also passes on the venue.
import { Big } from '../decimal.ts';

export interface SymbolSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  /** Where the seeded price process is centred. */
  anchorPrice: number;
  /** Scales every volatility component: alts swing more than BTC. */
  volMultiplier: number;
  /** Base quantity resting on the best level of the synthetic book. */
  bookLevelQty: Big;
  /** Rough base volume per day, for klines. */
  dailyVolume: number;
  tickSize: Big;
  minPrice: Big;
  maxPrice: Big;
  stepSize: Big;
  minQty: Big;
  maxQty: Big;
  marketMaxQty: Big;
  minNotional: Big;
  maxNotional: Big;
}

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
  tickSize: new Big('0.01'),
  minPrice: new Big('0.01'),
  maxPrice: new Big('1000000'),
  stepSize: new Big(s.step),
  minQty: new Big(s.step),
  maxQty: new Big('9000'),
  marketMaxQty: new Big(s.marketMaxQty),
  minNotional: new Big('5'),
  maxNotional: new Big('9000000'),
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

const BY_NAME = new Map(SYMBOLS.map((s) => [s.symbol, s]));

export const findSymbol = (name: string): SymbolSpec | undefined => BY_NAME.get(name);

export const ASSETS: readonly string[] = ['USDT', ...SYMBOLS.map((s) => s.baseAsset)];
