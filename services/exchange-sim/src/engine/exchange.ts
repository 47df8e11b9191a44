// The venue's matching engine and order entry. One order book per symbol holds the users' resting
// orders and the synthetic market maker's quotes side by side; a taker walks it best price first,
// FIFO within a price (match.ts), with self-trade prevention. Every tick the market maker re-quotes
// around the price process's mid; a new quote that crosses a resting order trades with it at the
// resting order's price, which is how resting orders fill as the market moves.
//
// Synchronous on purpose: one request or tick runs to completion before the next, so no two of them
// ever interleave on a balance. Each of them is one unit of work (Changes) handed to the sink, which
// makes it durable before its user events go out.
import { type Big, ZERO } from '../decimal.ts';
import { errors } from '../errors.ts';
import type { Market } from '../market/market.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import { type Account, type Accounts, randomKey } from './accounts.ts';
import { InsufficientBalance } from './balances.ts';
import { OrderBook, type UserQuote } from './book.ts';
import { Changes, type CommitSink, type CountersState } from './changes.ts';
import { type Executed, Execution, type Taker } from './execution.ts';
import { checkFilters, passesLot } from './filters.ts';
import { Ids } from './ids.ts';
import { type FeeFor, Ledger } from './ledger.ts';
import { makersFor, stepOf } from './makers.ts';
import { MarketMaker } from './market-maker.ts';
import { type Plan, planMatch } from './match.ts';
import { lockFor, newOrderFrom } from './new-order.ts';
import { OrderCounter, type OrderRateLimits } from './order-count.ts';
import { Tape } from './tape.ts';
import { isTriggered, StopBook } from './stops.ts';
import { isLimitLike, isMarketLike, isOpen, isStop, type NewOrder, type Order, remainingOf } from './types.ts';
import { accountPosition as accountPositionOf } from './user-events.ts';

export interface OrderRef {
  orderId?: number;
  origClientOrderId?: string;
}

export type CancelRestriction = 'ONLY_NEW' | 'ONLY_PARTIALLY_FILLED';

export interface PlaceResult extends Executed {
  order: Order;
}

export interface AmendResult {
  order: Order;
  origClientOrderId: string;
  executionId: number;
}

export interface ExchangeOptions {
  market: Market;
  accounts: Accounts;
  feeFor: FeeFor;
  orderLimits: OrderRateLimits;
  /** First ids of a fresh venue (see ids.ts). */
  idBase: number;
  sink: CommitSink;
}

export class Exchange {
  readonly market: Market;
  readonly accounts: Accounts;
  readonly tape = new Tape();
  readonly ids: Ids;
  readonly orderCounter: OrderCounter;
  private readonly ledger: Ledger;
  private readonly sink: CommitSink;
  private readonly books = new Map<string, OrderBook>();
  private readonly resting = new Map<Order, UserQuote>();
  private readonly stops = new StopBook();
  private readonly marketMaker: MarketMaker;
  private current: { changes: Changes; exec: Execution } | undefined;

  constructor(o: ExchangeOptions) {
    this.market = o.market;
    this.accounts = o.accounts;
    this.ledger = new Ledger(o.feeFor);
    this.ids = new Ids(o.idBase);
    this.orderCounter = new OrderCounter(o.orderLimits);
    this.sink = o.sink;
    this.marketMaker = new MarketMaker(this.market, this.ids, this.tape);
  }

  book(symbol: string): OrderBook {
    let book = this.books.get(symbol);
    if (!book) {
      book = new OrderBook(symbol);
      this.books.set(symbol, book);
    }
    return book;
  }

  /**
   * Runs `fn` as one unit of work (or inside the one already running), then hands the changes to
   * the sink — also when `fn` throws, since a re-quote it triggered may already have filled orders.
   */
  op<T>(now: number, fn: (x: Execution, c: Changes) => T): T {
    if (this.current) return fn(this.current.exec, this.current.changes);
    const changes = new Changes(now);
    const exec = new Execution(
      { accounts: this.accounts, ledger: this.ledger, ids: this.ids, tape: this.tape, orderCounter: this.orderCounter },
      changes,
    );
    this.current = { changes, exec };
    try {
      return fn(exec, changes);
    } finally {
      this.current = undefined;
      this.finish(changes);
    }
  }

  private finish(c: Changes): void {
    for (const [account, assets] of c.balances) {
      if (assets.size > 0) c.emit(account, accountPositionOf(account, assets, c.now));
    }
    if (c.isEmpty()) return;
    this.sink.commit(c, this.ids.snapshot(this.bookSeqs()));
  }

  // ---- market time ------------------------------------------------------------------------

  /** One market step for every symbol: re-quote, print, wake stops. */
  tick(now: number): void {
    this.op(now, () => {
      for (const symbol of this.market.symbols()) this.requote(symbol, now, true);
    });
  }

  /** Brings a symbol's book to `now` (the timer may lag a request by up to a tick). */
  sync(symbol: string, now: number): void {
    if (!this.marketMaker.isCurrent(symbol, now)) this.requote(symbol, now, true);
  }

  /** A pinned price is a jump: the market maker re-quotes at once rather than on the next tick. */
  repin(symbol: string, now: number): void {
    this.op(now, () => this.requote(symbol, now, false));
  }

  private requote(symbol: string, now: number, print: boolean): void {
    this.op(now, (x) => {
      const spec = this.market.spec(symbol);
      this.marketMaker.requote(x, this.book(symbol), spec, now);
      if (print) this.marketMaker.print(spec, now);
      this.wakeStops(spec, now);
    });
  }

  private wakeStops(spec: SymbolSpec, now: number): void {
    for (const [order, account] of this.stops.triggered(spec.symbol, this.market.price(spec.symbol, now))) {
      order.workingTime = now;
      order.updateTime = now;
      this.op(now, (x, c) => {
        c.order(account, order);
        this.work(x, account, spec, order);
      });
    }
  }

  // ---- order entry ------------------------------------------------------------------------

  /**
   * Everything Binance checks before an order reaches the book (also what order/test answers).
   * `replacing` is the order a cancel-replace is about to cancel: its client id may be reused.
   */
  validate(account: Account, o: NewOrder, now: number, replacing?: Order): void {
    const spec = this.market.spec(o.symbol);
    this.sync(spec.symbol, now);
    checkFilters(spec, o, {
      avgPrice: (mins) => this.market.avgPrice(spec.symbol, mins, now),
      open: account.openCounts(spec.symbol),
    });
    if (
      o.newClientOrderId !== undefined &&
      o.newClientOrderId !== replacing?.clientOrderId &&
      account.hasOpenClientId(o.newClientOrderId)
    ) {
      throw errors.newOrderRejected('Duplicate order sent.');
    }
    if (isStop(o.type) && o.stopPrice && isTriggered(o.type, o.side, o.stopPrice, this.market.price(spec.symbol, now))) {
      throw errors.newOrderRejected('Order would trigger immediately.');
    }
    if (o.type === 'LIMIT_MAKER' && o.price !== undefined && this.wouldTake(spec.symbol, o.side, o.price)) {
      throw errors.newOrderRejected('Order would immediately match and take.');
    }
  }

  place(account: Account, o: NewOrder, now: number): PlaceResult {
    return this.op(now, (x, c) => {
      const spec = this.market.spec(o.symbol);
      this.orderCounter.check(account.apiKey, now);
      this.validate(account, o, now);
      const order = newOrderFrom(spec, o, now);
      const book = this.book(spec.symbol);
      let plan: Plan | undefined;
      if (o.type === 'MARKET') {
        plan = this.plan(book, spec, account, order, o.quoteOrderQty);
        if (o.quoteOrderQty !== undefined) {
          order.origQty = plan.filledQty.plus(takerPrevented(plan));
          if (order.origQty.lt(spec.filters.lot.minQty) || order.origQty.eq(0)) {
            throw errors.newOrderRejected('Order book liquidity is less than `LOT_SIZE` filter minimum quantity.');
          }
        }
      }
      this.lockOrReject(account, spec, order, lockFor(order, plan));
      order.orderId = this.ids.next('orderIds', spec.symbol);
      if (!o.newClientOrderId) order.clientOrderId = randomKey(22);
      account.addOrder(order);
      account.updateTime = now;
      c.order(account, order);
      c.touch(account, order.side === 'BUY' ? spec.quoteAsset : spec.baseAsset);
      this.orderCounter.placed(account.apiKey, now);
      x.report(account, order, 'NEW');
      return { order, ...this.work(x, account, spec, order, plan) };
    });
  }

  find(account: Account, symbol: string, ref: OrderRef): Order | undefined {
    this.market.spec(symbol);
    if (ref.orderId === undefined)
      return ref.origClientOrderId === undefined ? undefined : account.byClientId(symbol, ref.origClientOrderId);
    const order = account.byOrderId(symbol, ref.orderId);
    // Binance looks up by orderId and then insists the client id, if given, matches it.
    if (order && ref.origClientOrderId !== undefined && order.clientOrderId !== ref.origClientOrderId) return undefined;
    return order;
  }

  cancel(account: Account, symbol: string, ref: OrderRef, cancelClientId: string, now: number, restriction?: CancelRestriction): Order {
    return this.op(now, (x) => {
      const spec = this.market.spec(symbol);
      this.sync(symbol, now);
      const order = this.find(account, symbol, ref);
      if (!order || !isOpen(order)) throw errors.unknownOrder();
      if (restriction === 'ONLY_NEW' && order.status !== 'NEW') throw errors.cancelRestricted();
      if (restriction === 'ONLY_PARTIALLY_FILLED' && order.status !== 'PARTIALLY_FILLED') throw errors.cancelRestricted();
      this.unrest(order);
      x.close(account, spec, order, 'CANCELED', { cancelClientId });
      return order;
    });
  }

  cancelAll(account: Account, symbol: string, now: number): { order: Order; cancelClientId: string }[] {
    return this.op(now, () => {
      this.market.spec(symbol);
      const open = account.openOrders(symbol);
      if (open.length === 0) throw errors.unknownOrder();
      return open.map((order) => {
        const cancelClientId = randomKey(22);
        this.cancel(account, symbol, { orderId: order.orderId }, cancelClientId, now);
        return { order, cancelClientId };
      });
    });
  }

  /** Order Amend Keep Priority: a lower quantity, the same place in the queue. */
  amend(account: Account, symbol: string, ref: OrderRef, newQty: Big, newClientOrderId: string | undefined, now: number): AmendResult {
    return this.op(now, (x, c) => {
      const spec = this.market.spec(symbol);
      this.sync(symbol, now);
      const order = this.find(account, symbol, ref);
      if (!order || !isOpen(order)) throw errors.amendRejected('Unknown order sent.');
      if (newQty.gt(order.origQty)) throw errors.amendRejected('Order amend (quantity increase) is not supported.');
      if (newQty.eq(order.origQty)) throw errors.amendRejected('The requested action would change no state; rejecting');
      if (newQty.lte(order.executedQty.plus(order.preventedQty))) {
        throw errors.amendRejected('Order amend (quantity below executed quantity) is not supported.');
      }
      if (!passesLot(spec.filters.lot, newQty)) throw errors.filter('LOT_SIZE');
      if (order.amendCount >= spec.filters.maxNumOrderAmends) throw errors.filter('MAX_NUM_ORDER_AMENDS');
      const by = order.origQty.minus(newQty);
      const previous = order.clientOrderId;
      order.origQty = newQty;
      this.ledger.reduced(account, spec, order, by);
      c.touch(account, order.side === 'BUY' ? spec.quoteAsset : spec.baseAsset);
      const quote = this.resting.get(order);
      if (quote) this.book(symbol).reduced(quote, by);
      order.clientOrderId = newClientOrderId ?? randomKey(22);
      account.indexClientId(order);
      order.amendCount += 1;
      order.updateTime = now;
      account.updateTime = now;
      c.order(account, order);
      const executionId = x.report(account, order, 'REPLACED', previous !== order.clientOrderId ? { previousClientId: previous } : {});
      return { order, origClientOrderId: previous, executionId };
    });
  }

  // ---- internals --------------------------------------------------------------------------

  private lockOrReject(account: Account, spec: SymbolSpec, order: Order, amount: Big): void {
    try {
      this.ledger.lock(account, spec, order, amount);
    } catch (e) {
      if (e instanceof InsufficientBalance) throw errors.insufficientBalance();
      throw e;
    }
  }

  private plan(book: OrderBook, spec: SymbolSpec, account: Account, order: Order, quoteBudget?: Big): Plan {
    const limit = isLimitLike(order.type) ? order.price : undefined;
    return planMatch(makersFor(book, order.side, limit, account.apiKey), {
      ...(quoteBudget !== undefined ? { quote: quoteBudget } : { qty: remainingOf(order) }),
      stepSize: stepOf(spec),
      stp: order.selfTradePreventionMode,
      fok: order.timeInForce === 'FOK' && isLimitLike(order.type),
    });
  }

  /** Runs a working order as a taker; what is left rests, expires or waits for its trigger. */
  private work(x: Execution, account: Account, spec: SymbolSpec, order: Order, planned?: Plan): Executed {
    const none: Executed = { fills: [], prevented: [] };
    if (order.workingTime < 0) {
      this.stops.wait(account, order);
      return none;
    }
    const book = this.book(spec.symbol);
    if (order.type === 'LIMIT_MAKER') {
      this.rest(book, account, order);
      return none;
    }
    const plan = planned ?? this.plan(book, spec, account, order);
    if (isMarketLike(order.type) && order.side === 'BUY' && order.locked.eq(0) && plan.quoteQty.gt(0)) {
      // A stop-market BUY that just triggered: fund the walk now, or expire unfilled.
      if (account.balances.freeOf(spec.quoteAsset).lt(plan.quoteQty)) {
        order.expiryReason = 'INSUFFICIENT_LIQUIDITY';
        x.close(account, spec, order, 'EXPIRED');
        return none;
      }
      this.ledger.lock(account, spec, order, plan.quoteQty);
    }
    const taker: Taker = { kind: 'user', account, order };
    const done = x.apply(book, spec, taker, plan);
    if (plan.killed) {
      order.expiryReason = 'UNFILLED_FOK_ORDER_EXPIRED';
      x.close(account, spec, order, 'EXPIRED');
    } else if (order.status === 'EXPIRED_IN_MATCH' || order.status === 'FILLED') {
      x.release(account, spec, order);
    } else if (isMarketLike(order.type)) {
      // Binance expires what a market order could not fill instead of leaving it on the book.
      order.expiryReason = 'INSUFFICIENT_LIQUIDITY';
      x.close(account, spec, order, 'EXPIRED');
    } else if (order.timeInForce !== 'GTC') {
      order.expiryReason = order.timeInForce === 'FOK' ? 'UNFILLED_FOK_ORDER_EXPIRED' : 'UNFILLED_IOC_QUANTITY_EXPIRED';
      x.close(account, spec, order, 'EXPIRED');
    } else {
      this.rest(book, account, order);
    }
    return done;
  }

  private rest(book: OrderBook, account: Account, order: Order): void {
    if (order.bookSeq === 0) order.bookSeq = book.takeSeq();
    const quote: UserQuote = { kind: 'user', side: order.side, price: order.price, order, owner: account.apiKey, seq: order.bookSeq };
    book.add(quote);
    this.resting.set(order, quote);
  }

  /** Takes an order out of the book or the trigger list. */
  private unrest(order: Order): void {
    const quote = this.resting.get(order);
    if (quote) {
      this.book(order.symbol).remove(quote);
      this.resting.delete(order);
    }
    this.stops.remove(order);
  }

  private wouldTake(symbol: string, side: 'BUY' | 'SELL', price: Big): boolean {
    const best = this.book(symbol).best(side === 'BUY' ? 'SELL' : 'BUY');
    if (!best) return false;
    return side === 'BUY' ? best.price.lte(price) : best.price.gte(price);
  }

  /** Recovery: an open order from the journal takes its place in the book or the trigger list. */
  restoreOpen(account: Account, order: Order): void {
    if (!isOpen(order)) return;
    if (order.workingTime < 0) {
      this.stops.wait(account, order);
      return;
    }
    const book = this.book(order.symbol);
    book.reserveSeq(order.bookSeq);
    this.rest(book, account, order);
  }

  /** Funding moves outside trading (admin deposits and withdrawals). */
  adjustBalance(account: Account, asset: string, delta: Big, now: number, event: Record<string, unknown>): void {
    this.op(now, (_x, c) => {
      if (delta.gte(0)) account.balances.credit(asset, delta);
      else account.balances.debit(asset, delta.abs());
      account.updateTime = now;
      c.emit(account, event);
      c.touch(account, asset);
    });
  }

  /** A new account or changed account settings, recorded as a unit of work of its own. */
  recordAccount(account: Account, now: number): void {
    this.op(now, (_x, c) => {
      c.accounts.add(account);
    });
  }

  /** Where each book's queue sequence stands (journaled with every record). */
  bookSeqs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [symbol, book] of this.books) out[symbol] = book.peekSeq();
    return out;
  }

  restoreCounters(counters: CountersState, tradeIdGap: number): void {
    this.ids.restore(counters, tradeIdGap);
    for (const [symbol, seq] of Object.entries(counters.bookSeq)) this.book(symbol).reserveSeq(seq - 1);
  }
}

const takerPrevented = (plan: Plan): Big => plan.steps.reduce((s, step) => (step.kind === 'prevent' ? s.plus(step.takerQty) : s), ZERO);
