// Binance market-data payloads into Blotter's shapes, validated on the way in.
import { dec, str } from '@blotter/orders';
import type { Candle, SymbolInfo } from '@blotter/schemas';
import Type from 'typebox';
import { Compile } from 'typebox/compile';

const Num = Type.Union([Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' }), Type.Number()]);
const KlineCheck = Compile(Type.Array(Type.Object({ openTime: Type.Number(), open: Num, high: Num, low: Num, close: Num, volume: Num })));
const Filter = Type.Object({ filterType: Type.String() }, { additionalProperties: true });
const ExchangeInfoCheck = Compile(
  Type.Object({
    symbols: Type.Array(
      Type.Object({
        symbol: Type.String(),
        status: Type.String(),
        baseAsset: Type.String(),
        quoteAsset: Type.String(),
        filters: Type.Array(Filter),
      }),
    ),
  }),
);

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

export function toSymbols(raw: unknown, wanted: readonly string[]): SymbolInfo[] {
  if (!ExchangeInfoCheck.Check(raw)) throw new MalformedVenueData('exchangeInfo in an unexpected shape');
  const out: SymbolInfo[] = [];
  for (const s of raw.symbols) {
    if (!wanted.includes(s.symbol) || s.status !== 'TRADING') continue;
    const f = (type: string) => s.filters.find((x) => x.filterType === type) as Record<string, unknown> | undefined;
    const price = f('PRICE_FILTER');
    const lot = f('LOT_SIZE');
    const notional = f('NOTIONAL') ?? f('MIN_NOTIONAL');
    const percent = f('PERCENT_PRICE_BY_SIDE');
    const field = (o: Record<string, unknown> | undefined, k: string) => {
      const v = o?.[k];
      if (typeof v !== 'string' && typeof v !== 'number') throw new MalformedVenueData(`${s.symbol}: filter field ${k} missing`);
      return norm(v);
    };
    out.push({
      symbol: s.symbol,
      baseAsset: s.baseAsset,
      quoteAsset: s.quoteAsset,
      tickSize: field(price, 'tickSize'),
      stepSize: field(lot, 'stepSize'),
      minQty: field(lot, 'minQty'),
      maxQty: field(lot, 'maxQty'),
      minPrice: field(price, 'minPrice'),
      maxPrice: field(price, 'maxPrice'),
      minNotional: field(notional, 'minNotional'),
      ...(percent
        ? {
            percentPrice: {
              bidUp: field(percent, 'bidMultiplierUp'),
              bidDown: field(percent, 'bidMultiplierDown'),
              askUp: field(percent, 'askMultiplierUp'),
              askDown: field(percent, 'askMultiplierDown'),
            },
          }
        : {}),
    });
  }
  return out;
}

export function toPrice(raw: unknown, symbol: string): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const v = (raw as Record<string, unknown>)[symbol];
  return typeof v === 'string' || typeof v === 'number' ? norm(v) : null;
}
