// Applies a matching plan to the venue's state: trades between a taker and the resting quotes it
// crossed, self-trade preventions, and what becomes of the taker afterwards. Every balance change
// goes through the ledger, every order change and user event into the unit of work, and every
// trade onto the public tape. Reports go out in the order things happen: per match, the resting
// order's report, then the taker's.
import type { Big } from '../decimal.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import type { Account, Accounts } from './accounts.ts';
import type { OrderBook, Quote, UserQuote } from './book.ts';
import type { Changes } from './changes.ts';
import type { Ids } from './ids.ts';
import type { Ledger } from './ledger.ts';
import type { Plan, Step } from './match.ts';
import type { OrderCounter } from './order-count.ts';
import type { Tape, TapeTrade } from './tape.ts';
import {
  type ExecutionType,
  isOpen,
  type Order,
  type OrderStatus,
  type PreventedMatch,
  remainingOf,
  type Side,
  type Trade,
} from './types.ts';
import { executionReport, type ReportExtras } from './user-events.ts';

export type Taker = { kind: 'user'; account: Account; order: Order } | { kind: 'mm'; side: Side };

export interface Executed {
  fills: Trade[];
  prevented: PreventedMatch[];
}

export interface ExecutionDeps {
  accounts: Accounts;
  ledger: Ledger;
  ids: Ids;
  tape: Tape;
  orderCounter: OrderCounter;
}

/** What an order's quantities say its status is (Binance: FILLED, or EXPIRED_IN_MATCH once STP took the rest). */
export function statusOf(o: Order): OrderStatus {
  if (remainingOf(o).gt(0)) return o.executedQty.gt(0) ? 'PARTIALLY_FILLED' : 'NEW';
  return o.preventedQty.gt(0) ? 'EXPIRED_IN_MATCH' : 'FILLED';
}

export class Execution {
  constructor(
    private readonly d: ExecutionDeps,
    private readonly c: Changes,
  ) {}

  report(account: Account, order: Order, x: ExecutionType, extras: ReportExtras = {}): number {
    const id = this.d.ids.nextExecutionId();
    this.c.emit(account, executionReport(order, x, this.c.now, id, extras));
    return id;
  }

  /** An order left the market (cancel, expiry, amend to nothing): its funds go back. */
  close(account: Account, spec: SymbolSpec, order: Order, status: 'CANCELED' | 'EXPIRED', extras: ReportExtras = {}): void {
    order.status = status;
    order.updateTime = this.c.now;
    account.updateTime = this.c.now;
    this.release(account, spec, order);
    this.report(account, order, status, extras);
  }

  release(account: Account, spec: SymbolSpec, order: Order): void {
    if (order.locked.gt(0)) {
      this.d.ledger.release(account, spec, order);
      this.c.touch(account, order.side === 'BUY' ? spec.quoteAsset : spec.baseAsset);
    }
    this.c.order(account, order);
  }

  apply(book: OrderBook, spec: SymbolSpec, taker: Taker, plan: Plan): Executed {
    const fills: Trade[] = [];
    const prevented: PreventedMatch[] = [];
    const tape: TapeTrade[] = [];
    for (const step of plan.steps) {
      if (step.kind === 'trade') {
        const id = this.d.ids.next('tradeIds', spec.symbol);
        this.fillMaker(book, spec, step.maker, step.price, step.qty, id);
        if (taker.kind === 'user') fills.push(this.fillUser(taker.account, spec, taker.order, step.price, step.qty, false, id));
        tape.push({ id, price: step.price, qty: step.qty, isBuyerMaker: step.maker.side === 'BUY' });
      } else if (taker.kind === 'user') {
        prevented.push(this.prevent(book, spec, taker.account, taker.order, step));
      }
    }
    this.d.tape.record(spec.symbol, tape, this.c.now);
    return { fills, prevented };
  }

  private fillMaker(book: OrderBook, spec: SymbolSpec, maker: Quote, price: Big, qty: Big, tradeId: number): void {
    if (maker.kind === 'mm') {
      maker.qty = maker.qty.minus(qty);
    } else {
      this.fillUser(this.owner(maker), spec, maker.order, price, qty, true, tradeId);
    }
    book.reduced(maker, qty);
  }

  private fillUser(account: Account, spec: SymbolSpec, order: Order, price: Big, qty: Big, isMaker: boolean, tradeId: number): Trade {
    const first = order.executedQty.eq(0);
    const trade = this.d.ledger.fill(account, spec, order, price, qty, isMaker, tradeId, this.c.now);
    this.c.trades.push({ account, trade });
    this.c.touch(account, spec.baseAsset, spec.quoteAsset, trade.commissionAsset);
    order.status = statusOf(order);
    if (!isOpen(order)) this.release(account, spec, order);
    this.c.order(account, order);
    if (first) this.d.orderCounter.firstFill(account.apiKey, this.c.now);
    this.report(account, order, 'TRADE', { trade });
    return trade;
  }

  private prevent(
    book: OrderBook,
    spec: SymbolSpec,
    account: Account,
    takerOrder: Order,
    step: Extract<Step, { kind: 'prevent' }>,
  ): PreventedMatch {
    const maker = step.maker;
    if (maker.kind !== 'user') throw new Error('self-trade prevention against a market-maker quote');
    const makerOrder = maker.order;
    const match: PreventedMatch = {
      symbol: spec.symbol,
      preventedMatchId: this.d.ids.next('preventedMatchIds', spec.symbol),
      takerOrderId: takerOrder.orderId,
      makerOrderId: makerOrder.orderId,
      selfTradePreventionMode: step.mode,
      price: step.price,
      ...(step.takerQty.gt(0) ? { takerPreventedQuantity: step.takerQty } : {}),
      ...(step.makerQty.gt(0) ? { makerPreventedQuantity: step.makerQty } : {}),
      transactTime: this.c.now,
    };
    account.prevented.push(match);
    this.c.prevented.push({ account, match });
    if (step.makerQty.gt(0)) {
      this.preventOn(account, spec, makerOrder, step.makerQty, match, takerOrder.orderId);
      book.reduced(maker, step.makerQty);
    }
    if (step.takerQty.gt(0)) this.preventOn(account, spec, takerOrder, step.takerQty, match, makerOrder.orderId);
    return match;
  }

  private preventOn(account: Account, spec: SymbolSpec, order: Order, qty: Big, match: PreventedMatch, counterOrderId: number): void {
    this.d.ledger.prevented(account, spec, order, qty, this.c.now);
    this.c.touch(account, order.side === 'BUY' ? spec.quoteAsset : spec.baseAsset);
    order.preventedMatchId = match.preventedMatchId;
    order.status = statusOf(order);
    if (!isOpen(order)) this.release(account, spec, order);
    this.c.order(account, order);
    this.report(account, order, 'TRADE_PREVENTION', {
      prevention: { preventedMatchId: match.preventedMatchId, lastQty: qty, price: match.price, counterOrderId },
    });
  }

  private owner(q: UserQuote): Account {
    const account = this.d.accounts.find(q.owner);
    if (!account) throw new Error(`resting order ${q.order.orderId} has no account`);
    return account;
  }
}
