// Stop orders waiting for their trigger, per symbol. STOP_LOSS* guards against the price moving
// against you (a BUY wakes when the last price rises to the stop, a SELL when it falls to it);
// TAKE_PROFIT* is the mirror image.
import type { Big } from '../decimal.ts';
import type { Account } from './accounts.ts';
import type { Order, OrderType, Side } from './types.ts';

export function isTriggered(type: OrderType, side: Side, stopPrice: Big, last: Big): boolean {
  const rising = type.startsWith('STOP_LOSS') ? side === 'BUY' : side === 'SELL';
  return rising ? last.gte(stopPrice) : last.lte(stopPrice);
}

export class StopBook {
  private readonly waiting = new Map<string, Map<Order, Account>>();

  wait(account: Account, order: Order): void {
    let forSymbol = this.waiting.get(order.symbol);
    if (!forSymbol) {
      forSymbol = new Map();
      this.waiting.set(order.symbol, forSymbol);
    }
    forSymbol.set(order, account);
  }

  remove(order: Order): void {
    this.waiting.get(order.symbol)?.delete(order);
  }

  list(symbol: string): Order[] {
    return [...(this.waiting.get(symbol)?.keys() ?? [])];
  }

  /** Takes out, in the order they were placed, the stops the last price has reached. */
  triggered(symbol: string, last: Big): [Order, Account][] {
    const forSymbol = this.waiting.get(symbol);
    if (!forSymbol) return [];
    const woken = [...forSymbol].filter(([o]) => isTriggered(o.type, o.side, o.stopPrice, last));
    for (const [o] of woken) forSymbol.delete(o);
    return woken;
  }
}
