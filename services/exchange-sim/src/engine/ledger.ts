// Books fills and closures against an account: the only place balances move for an order, so the
// lock/spend/refund arithmetic lives in one spot and is exact (big.js).
import { Big, ZERO } from '../decimal.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import type { Account } from './accounts.ts';
import { executionReport, type UserEvent } from './user-events.ts';
import type { Order, Trade } from './types.ts';

export type Emit = (account: Account, event: UserEvent) => void;

export class Ledger {
  constructor(
    private readonly feeRate: Big,
    private readonly nextTradeId: (symbol: string) => number,
    private readonly emit: Emit,
  ) {}

  fill(account: Account, spec: SymbolSpec, order: Order, price: Big, qty: Big, isMaker: boolean, now: number): Trade {
    const b = account.balances;
    const quoteQty = price.times(qty);
    let commission: Big;
    let commissionAsset: string;
    if (order.side === 'BUY') {
      // A resting BUY locked quote at its limit; filling cheaper than that refunds the difference.
      const consumed = order.lockPrice ? order.lockPrice.times(qty) : quoteQty;
      b.spendLocked(spec.quoteAsset, consumed);
      order.locked = order.locked.minus(consumed);
      if (consumed.gt(quoteQty)) b.credit(spec.quoteAsset, consumed.minus(quoteQty));
      commission = qty.times(this.feeRate).round(8, Big.roundUp);
      commissionAsset = spec.baseAsset;
      b.credit(spec.baseAsset, qty.minus(commission));
    } else {
      b.spendLocked(spec.baseAsset, qty);
      order.locked = order.locked.minus(qty);
      commission = quoteQty.times(this.feeRate).round(8, Big.roundUp);
      commissionAsset = spec.quoteAsset;
      b.credit(spec.quoteAsset, quoteQty.minus(commission));
    }
    order.executedQty = order.executedQty.plus(qty);
    order.cummulativeQuoteQty = order.cummulativeQuoteQty.plus(quoteQty);
    order.status = order.executedQty.gte(order.origQty) ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = now;
    account.updateTime = now;
    const trade: Trade = {
      symbol: order.symbol,
      id: this.nextTradeId(order.symbol),
      orderId: order.orderId,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset,
      time: now,
      isBuyer: order.side === 'BUY',
      isMaker,
    };
    account.trades.push(trade);
    if (order.status === 'FILLED') this.release(account, spec, order);
    this.emit(account, executionReport(order, 'TRADE', now, { trade }));
    return trade;
  }

  close(account: Account, spec: SymbolSpec, order: Order, status: 'CANCELED' | 'EXPIRED', now: number, cancelClientId?: string): void {
    order.status = status;
    order.updateTime = now;
    account.updateTime = now;
    this.release(account, spec, order);
    const x = status === 'CANCELED' ? 'CANCELED' : 'EXPIRED';
    this.emit(account, executionReport(order, x, now, cancelClientId ? { cancelClientId } : {}));
  }

  /** Whatever an order still holds goes back to free once it can no longer trade. */
  private release(account: Account, spec: SymbolSpec, order: Order): void {
    if (order.locked.lte(0)) return;
    account.balances.unlock(order.side === 'BUY' ? spec.quoteAsset : spec.baseAsset, order.locked);
    order.locked = ZERO;
  }
}
