// Binance market-data payloads into Blotter's shapes, validated on the way in.
import { dec, str } from '@blotter/orders';
import type { Candle, SymbolInfo } from '@blotter/schemas';
import Type from 'typebox';
import { Compile } from 'typebox/compile';

const Num = Type.Union([Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' }), Type.Number()]);
const Int = Type.Integer({ minimum: 0 });
const KlineCheck = Compile(Type.Array(Type.Object({ openTime: Type.Number(), open: Num, high: Num, low: Num, close: Num, volume: Num })));
const Filter = Type.Object({ filterType: Type.String() }, { additionalProperties: true });
const ExchangeInfoCheck = Compile(
  Type.Object({
    exchangeFilters: Type.Optional(Type.Array(Filter)),
    symbols: Type.Array(
      Type.Object({
        symbol: Type.String(),
        status: Type.String(),
        baseAsset: Type.String(),
        quoteAsset: Type.String(),
        baseAssetPrecision: Type.Optional(Int),
        quoteAssetPrecision: Type.Optional(Int),
        quotePrecision: Type.Optional(Int),
        filters: Type.Array(Filter),
      }),
    ),
  }),
);

// Every Binance Spot filter Blotter checks, in the shape exchangeInfo lists it (the documented
// fields; others are ignored). https://developers.binance.com/docs/binance-spot-api-docs/filters
interface FilterSpec<T> {
  type: string;
  check: { Check(value: unknown): value is T };
}
const PriceRange = Type.Object({ minPrice: Num, maxPrice: Num, tickSize: Num });
const QuantityRange = Type.Object({ minQty: Num, maxQty: Num, stepSize: Num });
const FILTERS = {
  price: { type: 'PRICE_FILTER', check: Compile(PriceRange) },
  lot: { type: 'LOT_SIZE', check: Compile(QuantityRange) },
  marketLot: { type: 'MARKET_LOT_SIZE', check: Compile(QuantityRange) },
  notional: {
    type: 'NOTIONAL',
    check: Compile(
      Type.Object({
        minNotional: Num,
        applyMinToMarket: Type.Boolean(),
        maxNotional: Num,
        applyMaxToMarket: Type.Boolean(),
        avgPriceMins: Int,
      }),
    ),
  },
  minNotional: {
    type: 'MIN_NOTIONAL',
    check: Compile(Type.Object({ minNotional: Num, applyToMarket: Type.Optional(Type.Boolean()), avgPriceMins: Type.Optional(Int) })),
  },
  percentPrice: { type: 'PERCENT_PRICE', check: Compile(Type.Object({ multiplierUp: Num, multiplierDown: Num })) },
  percentPriceBySide: {
    type: 'PERCENT_PRICE_BY_SIDE',
    check: Compile(Type.Object({ bidMultiplierUp: Num, bidMultiplierDown: Num, askMultiplierUp: Num, askMultiplierDown: Num })),
  },
  maxNumOrders: { type: 'MAX_NUM_ORDERS', check: Compile(Type.Object({ maxNumOrders: Int })) },
  maxNumAlgoOrders: { type: 'MAX_NUM_ALGO_ORDERS', check: Compile(Type.Object({ maxNumAlgoOrders: Int })) },
  maxPosition: { type: 'MAX_POSITION', check: Compile(Type.Object({ maxPosition: Num })) },
  exchangeMaxNumOrders: { type: 'EXCHANGE_MAX_NUM_ORDERS', check: Compile(Type.Object({ maxNumOrders: Int })) },
  exchangeMaxNumAlgoOrders: { type: 'EXCHANGE_MAX_NUM_ALGO_ORDERS', check: Compile(Type.Object({ maxNumAlgoOrders: Int })) },
};

/** "64010.50000000" → "64010.5": exact, no float on the way. */
const norm = (v: string | number) => str(dec(String(v)));

export class MalformedVenueData extends Error {
  override readonly name = 'MalformedVenueData';
}

export function toCandles(raw: unknown): Candle[] {
  if (!KlineCheck.Check(raw)) throw new MalformedVenueData('klines in an unexpected shape');
  return raw.map((k) => ({
    openTime: new Date(k.openTime).toISOString(),
    open: norm(k.open),
    high: norm(k.high),
    low: norm(k.low),
    close: norm(k.close),
    volume: norm(k.volume),
  }));
}

/** The filter of that type in the list, checked against its documented shape; undefined when not listed. */
function listed<T>(filters: readonly { filterType: string }[], { type, check }: FilterSpec<T>, owner: string): T | undefined {
  const found = filters.find((f) => f.filterType === type);
  if (found === undefined) return undefined;
  if (!check.Check(found)) throw new MalformedVenueData(`${owner}: ${type} in an unexpected shape`);
  return found;
}

/**
 * The venue's symbols (those wanted and trading) with every filter Blotter checks. PRICE_FILTER,
 * LOT_SIZE and NOTIONAL (or MIN_NOTIONAL) are required; the others are mirrored when listed.
 */
export function toSymbols(raw: unknown, wanted: readonly string[]): SymbolInfo[] {
  if (!ExchangeInfoCheck.Check(raw)) throw new MalformedVenueData('exchangeInfo in an unexpected shape');
  const exchangeFilters = raw.exchangeFilters ?? [];
  const exchangeOrders = listed(exchangeFilters, FILTERS.exchangeMaxNumOrders, 'exchange');
  const exchangeAlgo = listed(exchangeFilters, FILTERS.exchangeMaxNumAlgoOrders, 'exchange');
  const out: SymbolInfo[] = [];
  for (const s of raw.symbols) {
    if (!wanted.includes(s.symbol) || s.status !== 'TRADING') continue;
    const f = <T>(filter: FilterSpec<T>) => listed(s.filters, filter, s.symbol);
    const price = f(FILTERS.price);
    const lot = f(FILTERS.lot);
    const notional = f(FILTERS.notional);
    const minNotional = notional ? undefined : f(FILTERS.minNotional);
    const lowest = notional?.minNotional ?? minNotional?.minNotional;
    if (!price || !lot || lowest === undefined) throw new MalformedVenueData(`${s.symbol}: PRICE_FILTER, LOT_SIZE or NOTIONAL missing`);
    const marketLot = f(FILTERS.marketLot);
    const byside = f(FILTERS.percentPriceBySide);
    const band = f(FILTERS.percentPrice);
    const maxOrders = f(FILTERS.maxNumOrders);
    const maxAlgo = f(FILTERS.maxNumAlgoOrders);
    const maxPosition = f(FILTERS.maxPosition);
    const quotePrecision = s.quoteAssetPrecision ?? s.quotePrecision;
    const info: SymbolInfo = {
      symbol: s.symbol,
      baseAsset: s.baseAsset,
      quoteAsset: s.quoteAsset,
      tickSize: norm(price.tickSize),
      stepSize: norm(lot.stepSize),
      minQty: norm(lot.minQty),
      maxQty: norm(lot.maxQty),
      minPrice: norm(price.minPrice),
      maxPrice: norm(price.maxPrice),
      minNotional: norm(lowest),
    };
    if (notional) {
      info.maxNotional = norm(notional.maxNotional);
      info.applyMinToMarket = notional.applyMinToMarket;
      info.applyMaxToMarket = notional.applyMaxToMarket;
      info.avgPriceMins = notional.avgPriceMins;
    } else if (minNotional) {
      if (minNotional.applyToMarket !== undefined) info.applyMinToMarket = minNotional.applyToMarket;
      if (minNotional.avgPriceMins !== undefined) info.avgPriceMins = minNotional.avgPriceMins;
    }
    if (s.baseAssetPrecision !== undefined) info.baseAssetPrecision = s.baseAssetPrecision;
    if (quotePrecision !== undefined) info.quoteAssetPrecision = quotePrecision;
    if (marketLot)
      info.marketLotSize = { minQty: norm(marketLot.minQty), maxQty: norm(marketLot.maxQty), stepSize: norm(marketLot.stepSize) };
    if (byside) {
      info.percentPrice = {
        bidUp: norm(byside.bidMultiplierUp),
        bidDown: norm(byside.bidMultiplierDown),
        askUp: norm(byside.askMultiplierUp),
        askDown: norm(byside.askMultiplierDown),
      };
    }
    if (band) info.percentPriceBand = { up: norm(band.multiplierUp), down: norm(band.multiplierDown) };
    if (maxOrders) info.maxNumOrders = maxOrders.maxNumOrders;
    if (maxAlgo) info.maxNumAlgoOrders = maxAlgo.maxNumAlgoOrders;
    if (maxPosition) info.maxPosition = norm(maxPosition.maxPosition);
    if (exchangeOrders) info.exchangeMaxNumOrders = exchangeOrders.maxNumOrders;
    if (exchangeAlgo) info.exchangeMaxNumAlgoOrders = exchangeAlgo.maxNumAlgoOrders;
    out.push(info);
  }
  return out;
}

export function toPrice(raw: unknown, symbol: string): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const v = (raw as Record<string, unknown>)[symbol];
  return typeof v === 'string' || typeof v === 'number' ? norm(v) : null;
}
