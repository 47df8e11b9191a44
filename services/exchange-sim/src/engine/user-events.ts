// User-data stream payloads exactly as Binance pushes them (user-data-stream.md), single-letter
// keys and all. Conditional fields appear only when Binance says they do.
import { type Big, fmt8 } from '../decimal.ts';
import type { Account } from './accounts.ts';
import { type ExecutionType, isOpen, type Order, type Trade } from './types.ts';

export type UserEvent = Record<string, unknown>;

export interface ReportExtras {
  trade?: Trade;
  /** On a cancel, the cancel request's client id; the order's own id moves to `C`. */
  cancelClientId?: string;
  /** On an amend that changed the client id, the previous one. */
  previousClientId?: string;
  /** A TRADE_PREVENTION report: the match STP stopped. */
  prevention?: { preventedMatchId: number; lastQty: Big; price: Big; counterOrderId: number };
}

export function executionReport(o: Order, x: ExecutionType, now: number, executionId: number, extras: ReportExtras = {}): UserEvent {
  const { trade, cancelClientId, previousClientId, prevention } = extras;
  const working = o.workingTime >= 0;
  const report: UserEvent = {
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
    C: cancelClientId ? o.clientOrderId : (previousClientId ?? ''),
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
  };
  if (prevention) {
    Object.assign(report, {
      v: prevention.preventedMatchId,
      A: fmt8(o.preventedQty),
      B: fmt8(prevention.lastQty),
      U: prevention.counterOrderId,
      Cs: o.symbol,
      pl: fmt8(prevention.lastQty),
      pL: fmt8(prevention.price),
      pY: fmt8(prevention.lastQty.times(prevention.price)),
    });
  } else if (o.preventedMatchId !== undefined) {
    report.v = o.preventedMatchId;
  }
  Object.assign(report, {
    I: executionId,
    w: working && isOpen(o),
    m: trade ? trade.isMaker : false,
    M: false,
    O: o.time,
    Z: fmt8(o.cummulativeQuoteQty),
    Y: trade ? fmt8(trade.quoteQty) : '0.00000000',
    Q: fmt8(o.origQuoteOrderQty),
  });
  if (working) report.W = o.workingTime;
  report.V = o.selfTradePreventionMode;
  if (o.expiryReason && (o.status === 'EXPIRED' || o.status === 'EXPIRED_IN_MATCH')) report.eR = o.expiryReason;
  return report;
}

export function accountPosition(account: Account, assets: Iterable<string>, now: number): UserEvent {
  const balances = account.balances;
  return {
    e: 'outboundAccountPosition',
    E: now,
    u: account.updateTime,
    B: [...new Set(assets)].sort().map((a) => ({ a, f: fmt8(balances.freeOf(a)), l: fmt8(balances.lockedOf(a)) })),
  };
}

/** A deposit or withdrawal (`d` is the signed delta). */
export function balanceUpdate(asset: string, delta: Big, now: number): UserEvent {
  return { e: 'balanceUpdate', E: now, a: asset, d: fmt8(delta), T: now };
}
