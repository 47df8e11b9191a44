// The only place balances move for an order: fills, quantities prevented by STP, and the release
// of whatever an order still holds when it closes. Exact (big.js) and checked: a balance that
// would go negative throws instead of being booked.
import { type Big, ZERO } from '../decimal.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import type { Account } from './accounts.ts';
import type { Fee } from './commission.ts';
import type { Order, Side, Trade } from './types.ts';

/** The commission of one side of a trade, given what it receives. */
export type FeeFor = (account: Account, spec: SymbolSpec, side: Side, received: Big, isMaker: boolean) => Fee;

export class Ledger {
  constructor(private readonly feeFor: FeeFor) {}

  /** Books one side of a trade for a user order and returns the account's trade record. */
  fill(account: Account, spec: SymbolSpec, order: Order, price: Big, qty: Big, isMaker: boolean, tradeId: number, now: number): Trade {
    const b = account.balances;
    const quoteQty = price.times(qty);
    const buy = order.side === 'BUY';
    if (buy) {
      // A resting BUY locked quote at its limit; filling cheaper than that refunds the difference.
      const consumed = order.lockPrice ? order.lockPrice.times(qty) : quoteQty;
      b.spendLocked(spec.quoteAsset, consumed);
      order.locked = order.locked.minus(consumed);
      if (consumed.gt(quoteQty)) b.credit(spec.quoteAsset, consumed.minus(quoteQty));
    } else {
      b.spendLocked(spec.baseAsset, qty);
      order.locked = order.locked.minus(qty);
    }
    const receivedAsset = buy ? spec.baseAsset : spec.quoteAsset;
    const received = buy ? qty : quoteQty;
    const fee = this.feeFor(account, spec, order.side, received, isMaker);
    if (fee.fromBnbBalance) {
      b.credit(receivedAsset, received);
      b.debit(fee.asset, fee.amount);
    } else {
      b.credit(receivedAsset, received.minus(fee.amount));
    }
    order.executedQty = order.executedQty.plus(qty);
    order.cummulativeQuoteQty = order.cummulativeQuoteQty.plus(quoteQty);
    order.updateTime = now;
    account.updateTime = now;
    const trade: Trade = {
      symbol: order.symbol,
      id: tradeId,
      orderId: order.orderId,
      price,
      qty,
      quoteQty,
      commission: fee.amount,
      commissionAsset: fee.asset,
      time: now,
      isBuyer: buy,
      isMaker,
    };
    account.trades.push(trade);
    return trade;
  }

  /** STP took `qty` off an order: what it held for that quantity goes back to free. */
  prevented(account: Account, spec: SymbolSpec, order: Order, qty: Big, now: number): void {
    order.preventedQty = order.preventedQty.plus(qty);
    order.updateTime = now;
    let amount = ZERO;
    if (order.side === 'SELL') amount = qty;
    else if (order.lockPrice) amount = order.lockPrice.times(qty);
    this.unlock(account, spec, order, amount.gt(order.locked) ? order.locked : amount);
  }

  /** An amend lowered the quantity by `qty`. */
  reduced(account: Account, spec: SymbolSpec, order: Order, qty: Big): void {
    const amount = order.side === 'SELL' ? qty : order.lockPrice ? order.lockPrice.times(qty) : ZERO;
    this.unlock(account, spec, order, amount.gt(order.locked) ? order.locked : amount);
  }

  /** Whatever an order still holds goes back to free once it can no longer trade. */
  release(account: Account, spec: SymbolSpec, order: Order): void {
    this.unlock(account, spec, order, order.locked);
  }

  /** Takes the funds an order needs; throws InsufficientBalance when the free balance is short. */
  lock(account: Account, spec: SymbolSpec, order: Order, amount: Big): void {
    if (amount.lte(0)) return;
    account.balances.lock(order.side === 'BUY' ? spec.quoteAsset : spec.baseAsset, amount);
    order.locked = order.locked.plus(amount);
  }

  private unlock(account: Account, spec: SymbolSpec, order: Order, amount: Big): void {
    if (amount.lte(0)) return;
    account.balances.unlock(order.side === 'BUY' ? spec.quoteAsset : spec.baseAsset, amount);
    order.locked = order.locked.minus(amount);
  }
}
