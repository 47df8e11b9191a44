// Givens shared by every suite: written once, so a change of Binance's BTCUSDT filters is made once.
import type { SymbolInfo } from '@blotter/schemas';

/** BTCUSDT as the simulator (and Binance Spot) lists it. */
export const BTCUSDT: SymbolInfo = {
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
};

/** The symbols the market feed follows in every stack. */
export const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'] as const;

let counter = 0;
/** An address no other test of this run registers. */
export const uniqueEmail = (prefix = 'trader') => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}@example.com`;

/** Logs nothing (in-process pieces of a stack, unless the test wants their lines). */
export const silent = { info() {}, warn() {}, error() {} };
