// User-data stream payloads exactly as Binance pushes them (single-letter keys and all).
import { fmt8 } from '../decimal.ts';
import type { Account } from './accounts.ts';
import type { ExecutionType, Order, Trade } from './types.ts';

export type UserEvent = Record<string, unknown>;

export interface ReportExtras {
  trade?: Trade;
  /** On a cancel, the cancel request's client id; the order's own id moves to `C`. */
  cancelClientId?: string;
}

export function executionReport(o: Order, x: ExecutionType, now: number, extras: ReportExtras = {}): UserEvent {
  const { trade, cancelClientId } = extras;
  return {
    e: 'executionReport',
    E: now,
    s: o.symbol,
    c: cancelClientId ?? o.clientOrderId,
    S: o.side,
    o: o.type,
    f: o.timeInForce,
    q: fmt8(o.origQty),
    p: fmt8(o.price),
    P: fmt8(o.stopPrice),
    F: '0.00000000',
    g: -1,
    C: cancelClientId ? o.clientOrderId : '',
    x,
    X: o.status,
    r: 'NONE',
    i: o.orderId,
    l: trade ? fmt8(trade.qty) : '0.00000000',
    z: fmt8(o.executedQty),
    L: trade ? fmt8(trade.price) : '0.00000000',
    n: trade ? fmt8(trade.commission) : '0',
    N: trade ? trade.commissionAsset : null,
    T: trade ? trade.time : now,
    t: trade ? trade.id : -1,
    I: o.orderId * 2 + (trade ? 1 : 0),
    w: o.workingTime >= 0 && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'),
    m: trade ? trade.isMaker : false,
    M: false,
    O: o.time,
    Z: fmt8(o.cummulativeQuoteQty),
    Y: trade ? fmt8(trade.quoteQty) : '0.00000000',
    Q: fmt8(o.origQuoteOrderQty),
    ...(o.workingTime >= 0 ? { W: o.workingTime } : {}),
    V: o.selfTradePreventionMode,
  };
}

export function accountPosition(account: Account, assets: Iterable<string>, now: number): UserEvent {
  const balances = account.balances;
  return {
    e: 'outboundAccountPosition',
    E: now,
    u: account.updateTime,
    B: [...new Set(assets)].map((a) => ({ a, f: fmt8(balances.freeOf(a)), l: fmt8(balances.lockedOf(a)) })),
  };
}
