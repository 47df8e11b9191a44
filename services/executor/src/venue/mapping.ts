// Binance JSON (already checked by wire.ts) → Blotter's report shapes. Every quantity stays a decimal
// string, normalised to plain notation without trailing zeros ("0.01000000" → "0.01"), so the same
// amount always reads the same whatever endpoint reported it.
import { dec, str } from '@blotter/orders';
import { SymbolInfo, type VenueFill } from '@blotter/schemas';
import { Compile } from 'typebox/compile';
import type { VenueOrderReport } from './types.ts';
import {
  type CanceledOrder,
  type ExchangeInfo,
  type ExecutionReport,
  MalformedVenueAnswerError,
  type MyTrade,
  type NewOrderFull,
  parse,
  type QueriedOrder,
} from './wire.ts';

export const decimal = (value: string): string => str(dec(value));

export const isoTime = (ms: number): string => new Date(ms).toISOString();

export function reportFromNewOrder(o: NewOrderFull): VenueOrderReport {
  const at = isoTime(o.transactTime);
  return {
    venueOrderId: String(o.orderId),
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    status: o.status,
    executedQuantity: decimal(o.executedQty),
    cumulativeQuote: decimal(o.cummulativeQuoteQty),
    // A FULL response's fills carry neither a time nor a quote quantity: they happened at
    // transactTime, and a trade's quote quantity on Binance is exactly price × qty.
    fills: o.fills.map((f) => ({
      tradeId: String(f.tradeId),
      price: decimal(f.price),
      quantity: decimal(f.qty),
      quoteQuantity: str(dec(f.price).times(f.qty)),
      fee: decimal(f.commission),
      feeAsset: f.commissionAsset,
      at,
    })),
    at,
  };
}

export const fillFromTrade = (t: MyTrade): VenueFill => ({
  tradeId: String(t.id),
  price: decimal(t.price),
  quantity: decimal(t.qty),
  quoteQuantity: decimal(t.quoteQty),
  fee: decimal(t.commission),
  feeAsset: t.commissionAsset,
  at: isoTime(t.time),
});

/** A queried or open order; `trades` are the account's trades, of which only this order's are kept. */
export function reportFromOrder(o: QueriedOrder, trades: readonly MyTrade[] = []): VenueOrderReport {
  return {
    venueOrderId: String(o.orderId),
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    status: o.status,
    executedQuantity: decimal(o.executedQty),
    cumulativeQuote: decimal(o.cummulativeQuoteQty),
    fills: trades
      .filter((t) => t.orderId === o.orderId && t.symbol === o.symbol)
      .sort((a, b) => a.id - b.id)
      .map(fillFromTrade),
    at: isoTime(o.updateTime),
  };
}

/** A cancel answer has no fills; `fallbackAt` (venue clock) stands in for a missing transactTime. */
export function reportFromCancel(o: CanceledOrder, fallbackAt: number): VenueOrderReport {
  return {
    venueOrderId: String(o.orderId),
    clientOrderId: o.origClientOrderId,
    symbol: o.symbol,
    status: o.status,
    executedQuantity: decimal(o.executedQty),
    cumulativeQuote: decimal(o.cummulativeQuoteQty),
    fills: [],
    at: isoTime(o.transactTime ?? fallbackAt),
  };
}

/**
 * One executionReport. Its fills hold only the execution it announces (x = TRADE); on a cancel
 * Binance puts the cancel request's id in `c` and the order's own client id in `C`.
 */
export function reportFromExecution(e: ExecutionReport): VenueOrderReport {
  const fills: VenueFill[] = [];
  if (e.x === 'TRADE') {
    if (e.t < 0 || e.N === null)
      throw new MalformedVenueAnswerError(`malformed executionReport: TRADE without trade id or fee asset (order ${e.i})`);
    fills.push({
      tradeId: String(e.t),
      price: decimal(e.L),
      quantity: decimal(e.l),
      quoteQuantity: decimal(e.Y),
      fee: decimal(e.n),
      feeAsset: e.N,
      at: isoTime(e.T),
    });
  }
  return {
    venueOrderId: String(e.i),
    clientOrderId: e.C ? e.C : e.c,
    symbol: e.s,
    status: e.X,
    executedQuantity: decimal(e.z),
    cumulativeQuote: decimal(e.Z),
    fills,
    at: isoTime(e.T),
  };
}

const symbolInfoValidator = Compile(SymbolInfo);

/**
 * A symbol's filters as Blotter's SymbolInfo, or the reason it cannot be one (a missing filter, an
 * asset name outside Blotter's alphabet...): the caller skips such a symbol rather than losing all.
 */
export function symbolInfoFrom(s: ExchangeInfo['symbols'][number]): SymbolInfo | string {
  const find = (...types: string[]) => s.filters.find((f) => types.includes(f.filterType));
  const price = find('PRICE_FILTER');
  const lot = find('LOT_SIZE');
  const notional = find('NOTIONAL', 'MIN_NOTIONAL');
  if (!price || !lot || !notional) return 'missing PRICE_FILTER, LOT_SIZE or NOTIONAL';
  if (!parse.priceFilter.check(price) || !parse.lotSize.check(lot) || !parse.notional.check(notional)) {
    return 'malformed PRICE_FILTER, LOT_SIZE or NOTIONAL';
  }
  const info = {
    symbol: s.symbol,
    baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset,
    tickSize: decimal(price.tickSize),
    stepSize: decimal(lot.stepSize),
    minQty: decimal(lot.minQty),
    maxQty: decimal(lot.maxQty),
    minPrice: decimal(price.minPrice),
    maxPrice: decimal(price.maxPrice),
    minNotional: decimal(notional.minNotional),
  };
  if (!symbolInfoValidator.Check(info)) return 'does not fit SymbolInfo (symbol or asset names)';
  return info;
}
