// One unit of work of the engine (a request or a market tick): what it changed and the user events
// it produced, in order. The sink makes it durable (store/) and only then delivers the events, so
// no client ever hears of a fill that a crash could take back.
import type { Account } from './accounts.ts';
import type { Order, PreventedMatch, Trade } from './types.ts';
import type { UserEvent } from './user-events.ts';

export class Changes {
  /** Accounts whose balances moved, with the assets that moved (for outboundAccountPosition). */
  readonly balances = new Map<Account, Set<string>>();
  readonly orders = new Map<Order, Account>();
  readonly trades: { account: Account; trade: Trade }[] = [];
  readonly prevented: { account: Account; match: PreventedMatch }[] = [];
  /** Accounts created or whose settings changed. */
  readonly accounts = new Set<Account>();
  readonly events: { account: Account; event: UserEvent }[] = [];

  constructor(readonly now: number) {}

  touch(account: Account, ...assets: string[]): void {
    const set = this.balances.get(account) ?? new Set<string>();
    for (const a of assets) set.add(a);
    this.balances.set(account, set);
  }

  order(account: Account, order: Order): void {
    this.orders.set(order, account);
    account.track(order);
  }

  emit(account: Account, event: UserEvent): void {
    this.events.push({ account, event });
  }

  isEmpty(): boolean {
    return (
      this.balances.size + this.orders.size + this.trades.length + this.prevented.length + this.accounts.size + this.events.length === 0
    );
  }
}

/** Where finished units of work go. `commit` is synchronous; durability is awaited separately. */
export interface CommitSink {
  commit(changes: Changes, counters: CountersState): void;
}

export interface CountersState {
  /** Next id to hand out, per kind and symbol. */
  orderIds: Record<string, number>;
  tradeIds: Record<string, number>;
  preventedMatchIds: Record<string, number>;
  bookSeq: Record<string, number>;
  executionId: number;
}
