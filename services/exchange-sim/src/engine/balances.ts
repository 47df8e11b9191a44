// Free/locked per asset. Every mutation checks the result stays non-negative: a negative balance
// would mean an engine bug, and it is better to fail the request than to book it.
import { type Big, ZERO } from '../decimal.ts';

export class InsufficientBalance extends Error {
  override name = 'InsufficientBalance';
}

export interface BalanceView {
  asset: string;
  free: Big;
  locked: Big;
}

export class Balances {
  private readonly free = new Map<string, Big>();
  private readonly locked = new Map<string, Big>();

  constructor(initial: Record<string, Big>, always: readonly string[]) {
    for (const asset of always) this.free.set(asset, ZERO);
    for (const [asset, amount] of Object.entries(initial)) this.free.set(asset, amount);
  }

  freeOf(asset: string): Big {
    return this.free.get(asset) ?? ZERO;
  }

  lockedOf(asset: string): Big {
    return this.locked.get(asset) ?? ZERO;
  }

  credit(asset: string, amount: Big): void {
    this.free.set(asset, this.freeOf(asset).plus(amount));
  }

  debit(asset: string, amount: Big): void {
    this.free.set(asset, nonNegative(this.freeOf(asset).minus(amount), asset));
  }

  lock(asset: string, amount: Big): void {
    this.debit(asset, amount);
    this.locked.set(asset, this.lockedOf(asset).plus(amount));
  }

  /** Spend from the locked part (a fill of a resting order). */
  spendLocked(asset: string, amount: Big): void {
    this.locked.set(asset, nonNegative(this.lockedOf(asset).minus(amount), asset));
  }

  unlock(asset: string, amount: Big): void {
    this.spendLocked(asset, amount);
    this.credit(asset, amount);
  }

  /** Recovery: the exact free/locked a journal or snapshot recorded. */
  restore(asset: string, free: Big, locked: Big): void {
    this.free.set(asset, free);
    if (locked.gt(0) || this.locked.has(asset)) this.locked.set(asset, locked);
  }

  list(): BalanceView[] {
    const assets = new Set([...this.free.keys(), ...this.locked.keys()]);
    return [...assets].map((asset) => ({ asset, free: this.freeOf(asset), locked: this.lockedOf(asset) }));
  }
}

function nonNegative(x: Big, asset: string): Big {
  if (x.lt(0)) throw new InsufficientBalance(`${asset} would go negative`);
  return x;
}
