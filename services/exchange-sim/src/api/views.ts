// Orders, trades and prevented matches in Binance's REST JSON shapes (field names, 8-decimal
// strings, -1 list ids, and the conditional fields of rest-api.md "Conditional fields in Order
// Responses": stopPrice for stop types, preventedMatchId/preventedQuantity after STP, expiryReason
// once expired).
import { fmt8 } from '../decimal.ts';
import { isStop, type Order, type PreventedMatch, type Trade } from '../engine/types.ts';

type Json = Record<string, unknown>;

export const ackView = (o: Order, transactTime: number): Json => ({
  symbol: o.symbol,
  orderId: o.orderId,
  orderListId: -1,
  clientOrderId: o.clientOrderId,
  transactTime,
});

const core = (o: Order): Json => ({
  price: fmt8(o.price),
  origQty: fmt8(o.origQty),
  executedQty: fmt8(o.executedQty),
  origQuoteOrderQty: fmt8(o.origQuoteOrderQty),
  cummulativeQuoteQty: fmt8(o.cummulativeQuoteQty),
  status: o.status,
  timeInForce: o.timeInForce,
  type: o.type,
  side: o.side,
  ...(isStop(o.type) ? { stopPrice: fmt8(o.stopPrice) } : {}),
});

const conditional = (o: Order): Json => ({
  ...(o.preventedQty.gt(0) ? { preventedMatchId: o.preventedMatchId, preventedQuantity: fmt8(o.preventedQty) } : {}),
  ...(o.expiryReason && (o.status === 'EXPIRED' || o.status === 'EXPIRED_IN_MATCH') ? { expiryReason: o.expiryReason } : {}),
});

export const resultView = (o: Order, transactTime: number): Json => ({
  ...ackView(o, transactTime),
  ...core(o),
  workingTime: o.workingTime,
  selfTradePreventionMode: o.selfTradePreventionMode,
  ...conditional(o),
});

export const fillView = (t: Trade): Json => ({
  price: fmt8(t.price),
  qty: fmt8(t.qty),
  commission: fmt8(t.commission),
  commissionAsset: t.commissionAsset,
  tradeId: t.id,
});

/** A prevented match as the new-order response lists it (`preventedMatches`). */
export const preventedInResponse = (p: PreventedMatch): Json => ({
  preventedMatchId: p.preventedMatchId,
  makerOrderId: p.makerOrderId,
  price: fmt8(p.price),
  ...(p.takerPreventedQuantity ? { takerPreventedQuantity: fmt8(p.takerPreventedQuantity) } : {}),
  ...(p.makerPreventedQuantity ? { makerPreventedQuantity: fmt8(p.makerPreventedQuantity) } : {}),
});

export const fullView = (o: Order, transactTime: number, fills: Trade[], prevented: PreventedMatch[] = []): Json => {
  const { selfTradePreventionMode, ...rest } = resultView(o, transactTime);
  return {
    ...rest,
    fills: fills.map(fillView),
    ...(prevented.length > 0 ? { preventedMatches: prevented.map(preventedInResponse) } : {}),
    selfTradePreventionMode,
  };
};

export const orderView = (o: Order): Json => ({
  symbol: o.symbol,
  orderId: o.orderId,
  orderListId: -1,
  clientOrderId: o.clientOrderId,
  ...core(o),
  stopPrice: fmt8(o.stopPrice),
  icebergQty: '0.00000000',
  time: o.time,
  updateTime: o.updateTime,
  isWorking: o.workingTime >= 0,
  workingTime: o.workingTime,
  selfTradePreventionMode: o.selfTradePreventionMode,
  ...conditional(o),
});

export const cancelView = (o: Order, cancelClientId: string, transactTime: number): Json => ({
  symbol: o.symbol,
  origClientOrderId: o.clientOrderId,
  orderId: o.orderId,
  orderListId: -1,
  clientOrderId: cancelClientId,
  transactTime,
  ...core(o),
  selfTradePreventionMode: o.selfTradePreventionMode,
  ...conditional(o),
});

/** PUT /api/v3/order/amend/keepPriority's `amendedOrder`. */
export const amendedView = (o: Order, origClientOrderId: string): Json => ({
  symbol: o.symbol,
  orderId: o.orderId,
  orderListId: -1,
  origClientOrderId,
  clientOrderId: o.clientOrderId,
  price: fmt8(o.price),
  qty: fmt8(o.origQty),
  executedQty: fmt8(o.executedQty),
  preventedQty: fmt8(o.preventedQty),
  quoteOrderQty: fmt8(o.origQuoteOrderQty),
  cumulativeQuoteQty: fmt8(o.cummulativeQuoteQty),
  status: o.status,
  timeInForce: o.timeInForce,
  type: o.type,
  side: o.side,
  ...(o.workingTime >= 0 ? { workingTime: o.workingTime } : {}),
  selfTradePreventionMode: o.selfTradePreventionMode,
});

export const tradeView = (t: Trade): Json => ({
  symbol: t.symbol,
  id: t.id,
  orderId: t.orderId,
  orderListId: -1,
  price: fmt8(t.price),
  qty: fmt8(t.qty),
  quoteQty: fmt8(t.quoteQty),
  commission: fmt8(t.commission),
  commissionAsset: t.commissionAsset,
  time: t.time,
  isBuyer: t.isBuyer,
  isMaker: t.isMaker,
  isBestMatch: true,
});

/** GET /api/v3/myPreventedMatches. */
export const preventedView = (p: PreventedMatch): Json => ({
  symbol: p.symbol,
  preventedMatchId: p.preventedMatchId,
  takerOrderId: p.takerOrderId,
  makerSymbol: p.symbol,
  makerOrderId: p.makerOrderId,
  tradeGroupId: -1,
  selfTradePreventionMode: p.selfTradePreventionMode,
  price: fmt8(p.price),
  ...(p.takerPreventedQuantity ? { takerPreventedQuantity: fmt8(p.takerPreventedQuantity) } : {}),
  ...(p.makerPreventedQuantity ? { makerPreventedQuantity: fmt8(p.makerPreventedQuantity) } : {}),
  transactTime: p.transactTime,
});
