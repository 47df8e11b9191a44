// Orders and trades in Binance's REST JSON shapes (field names, 8-decimal strings, -1 list ids).
import { fmt8 } from '../decimal.ts';
import { isStop, type Order, type Trade } from './types.ts';

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

export const resultView = (o: Order, transactTime: number): Json => ({
  ...ackView(o, transactTime),
  ...core(o),
  workingTime: o.workingTime,
  selfTradePreventionMode: o.selfTradePreventionMode,
});

export const fillView = (t: Trade): Json => ({
  price: fmt8(t.price),
  qty: fmt8(t.qty),
  commission: fmt8(t.commission),
  commissionAsset: t.commissionAsset,
  tradeId: t.id,
});

export const fullView = (o: Order, transactTime: number, fills: Trade[]): Json => ({
  ...resultView(o, transactTime),
  fills: fills.map(fillView),
});

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
