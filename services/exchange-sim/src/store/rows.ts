// Engine objects ↔ the rows the journal and snapshot hold. Decimals travel as plain strings
// (big.js toFixed keeps every digit, in plain notation), so a reload is exact.
import { Big } from '../decimal.ts';
import type { Account } from '../engine/accounts.ts';
import type { Order, PreventedMatch, Trade } from '../engine/types.ts';
import type { AccountRow, BalanceRow, OrderRow, PreventedRow, TradeRow } from './records.ts';

// toFixed(), not toString(): big.js writes small numbers as "2e-7", which the records refuse.
const s = (x: Big): string => x.toFixed();

export const accountRow = (a: Account): AccountRow => ({
  apiKey: a.apiKey,
  credential: a.credential,
  settings: { ...a.settings },
  updateTime: a.updateTime,
});

export const balanceRows = (a: Account, assets?: Iterable<string>): BalanceRow[] => {
  const list = assets ? [...assets] : a.balances.list().map((b) => b.asset);
  return list.map((asset) => [asset, s(a.balances.freeOf(asset)), s(a.balances.lockedOf(asset))]);
};

export const orderRow = (o: Order): OrderRow => ({
  symbol: o.symbol,
  orderId: o.orderId,
  clientOrderId: o.clientOrderId,
  side: o.side,
  type: o.type,
  timeInForce: o.timeInForce,
  price: s(o.price),
  stopPrice: s(o.stopPrice),
  origQty: s(o.origQty),
  origQuoteOrderQty: s(o.origQuoteOrderQty),
  executedQty: s(o.executedQty),
  cummulativeQuoteQty: s(o.cummulativeQuoteQty),
  preventedQty: s(o.preventedQty),
  ...(o.preventedMatchId !== undefined ? { preventedMatchId: o.preventedMatchId } : {}),
  status: o.status,
  time: o.time,
  updateTime: o.updateTime,
  workingTime: o.workingTime,
  selfTradePreventionMode: o.selfTradePreventionMode,
  ...(o.expiryReason ? { expiryReason: o.expiryReason } : {}),
  locked: s(o.locked),
  ...(o.lockPrice ? { lockPrice: s(o.lockPrice) } : {}),
  bookSeq: o.bookSeq,
  amendCount: o.amendCount,
});

export const orderFromRow = (r: OrderRow): Order => ({
  symbol: r.symbol,
  orderId: r.orderId,
  clientOrderId: r.clientOrderId,
  side: r.side,
  type: r.type,
  timeInForce: r.timeInForce,
  price: new Big(r.price),
  stopPrice: new Big(r.stopPrice),
  origQty: new Big(r.origQty),
  origQuoteOrderQty: new Big(r.origQuoteOrderQty),
  executedQty: new Big(r.executedQty),
  cummulativeQuoteQty: new Big(r.cummulativeQuoteQty),
  preventedQty: new Big(r.preventedQty),
  ...(r.preventedMatchId !== undefined ? { preventedMatchId: r.preventedMatchId } : {}),
  status: r.status,
  time: r.time,
  updateTime: r.updateTime,
  workingTime: r.workingTime,
  selfTradePreventionMode: r.selfTradePreventionMode,
  ...(r.expiryReason ? { expiryReason: r.expiryReason } : {}),
  locked: new Big(r.locked),
  ...(r.lockPrice ? { lockPrice: new Big(r.lockPrice) } : {}),
  bookSeq: r.bookSeq,
  amendCount: r.amendCount,
});

export const tradeRow = (t: Trade): TradeRow => ({
  symbol: t.symbol,
  id: t.id,
  orderId: t.orderId,
  price: s(t.price),
  qty: s(t.qty),
  quoteQty: s(t.quoteQty),
  commission: s(t.commission),
  commissionAsset: t.commissionAsset,
  time: t.time,
  isBuyer: t.isBuyer,
  isMaker: t.isMaker,
});

export const tradeFromRow = (r: TradeRow): Trade => ({
  ...r,
  price: new Big(r.price),
  qty: new Big(r.qty),
  quoteQty: new Big(r.quoteQty),
  commission: new Big(r.commission),
});

export const preventedRow = (p: PreventedMatch): PreventedRow => ({
  symbol: p.symbol,
  preventedMatchId: p.preventedMatchId,
  takerOrderId: p.takerOrderId,
  makerOrderId: p.makerOrderId,
  selfTradePreventionMode: p.selfTradePreventionMode,
  price: s(p.price),
  ...(p.takerPreventedQuantity ? { takerPreventedQuantity: s(p.takerPreventedQuantity) } : {}),
  ...(p.makerPreventedQuantity ? { makerPreventedQuantity: s(p.makerPreventedQuantity) } : {}),
  transactTime: p.transactTime,
});

export const preventedFromRow = (r: PreventedRow): PreventedMatch => ({
  symbol: r.symbol,
  preventedMatchId: r.preventedMatchId,
  takerOrderId: r.takerOrderId,
  makerOrderId: r.makerOrderId,
  selfTradePreventionMode: r.selfTradePreventionMode,
  price: new Big(r.price),
  ...(r.takerPreventedQuantity ? { takerPreventedQuantity: new Big(r.takerPreventedQuantity) } : {}),
  ...(r.makerPreventedQuantity ? { makerPreventedQuantity: new Big(r.makerPreventedQuantity) } : {}),
  transactTime: r.transactTime,
});

export const orderKey = (symbol: string, orderId: number): string => `${symbol}:${orderId}`;
export const tradeKey = (t: { symbol: string; id: number; orderId: number }): string => `${t.symbol}:${t.id}:${t.orderId}`;
export const preventedKey = (p: { symbol: string; preventedMatchId: number }): string => `${p.symbol}:${p.preventedMatchId}`;
