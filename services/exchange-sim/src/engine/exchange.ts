// The venue's order entry: validates, funds, books, finds and cancels orders, and emits the
// user-data events. Matching itself is matcher.ts. Synchronous on purpose: one request or tick
// runs to completion before the next, so no two of them ever interleave on a balance.
import { type Big, ZERO } from '../decimal.ts';
import { errors } from '../errors.ts';
import type { Market } from '../market/market.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import { type Account, type Accounts, randomKey } from './accounts.ts';
import { InsufficientBalance } from './balances.ts';
import { checkFilters } from './filters.ts';
import { Ledger } from './ledger.ts';
import { Matcher } from './matcher.ts';
import { reserve } from './reserve.ts';
import { isTriggered } from './triggers.ts';
import { isOpen, isStop, type NewOrder, type Order, type Trade } from './types.ts';
import { accountPosition, executionReport, type UserEvent } from './user-events.ts';
import { opposite } from './walk.ts';

export type UserEventListener = (apiKey: string, event: UserEvent) => void;

export interface OrderRef {
  orderId?: number;
  origClientOrderId?: string;
}

export class Exchange {
  private readonly orderIds = new Map<string, number>();
  private readonly tradeIds = new Map<string, number>();
  private readonly listeners = new Set<UserEventListener>();
  private readonly ledger: Ledger;
  private readonly matcher: Matcher;

  /** `idBase` keeps ids from one boot distinct from the previous boot's. */
  constructor(
    readonly market: Market,
    readonly accounts: Accounts,
    feeRate: Big,
    private readonly idBase: number,
  ) {
    this.ledger = new Ledger(
      feeRate,
      (s) => this.nextTradeId(s),
      (a, e) => this.emit(a, e),
    );
    this.matcher = new Matcher(market, this.ledger);
  }

  onUserEvent(listener: UserEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  nextTradeId(symbol: string): number {
    return this.next(this.tradeIds, symbol);
  }

  validate(account: Account, o: NewOrder, now: number): void {
    const spec = this.market.spec(o.symbol);
    const last = this.market.price(o.symbol, now);
    checkFilters(spec, o, last, account.openCounts(o.symbol));
    if (o.newClientOrderId !== undefined && account.openOrders().some((x) => x.clientOrderId === o.newClientOrderId)) {
      throw errors.newOrderRejected('Duplicate order sent.');
    }
    if (isStop(o.type) && o.stopPrice && isTriggered(o.type, o.side, o.stopPrice, last)) {
      throw errors.newOrderRejected('Order would trigger immediately.');
    }
    if (o.type === 'LIMIT_MAKER' && opposite(this.market.book(o.symbol, now), o.side, o.price).length > 0) {
      throw errors.newOrderRejected('Order would immediately match and take.');
    }
  }

  place(account: Account, o: NewOrder, now: number): { order: Order; fills: Trade[] } {
    this.validate(account, o, now);
    const spec = this.market.spec(o.symbol);
    const book = this.market.book(o.symbol, now);
    const r = reserve(spec, o, book);
    lockOrReject(account, r.asset, r.amount);
    const order: Order = {
      symbol: o.symbol,
      orderId: this.next(this.orderIds, o.symbol),
      clientOrderId: o.newClientOrderId ?? randomKey(22),
      side: o.side,
      type: o.type,
      timeInForce: o.timeInForce ?? 'GTC',
      price: o.price ?? ZERO,
      stopPrice: o.stopPrice ?? ZERO,
      origQty: r.origQty,
      origQuoteOrderQty: o.quoteOrderQty ?? ZERO,
      executedQty: ZERO,
      cummulativeQuoteQty: ZERO,
      status: 'NEW',
      time: now,
      updateTime: now,
      workingTime: isStop(o.type) ? -1 : now,
      selfTradePreventionMode: o.selfTradePreventionMode,
      locked: r.amount,
      ...(r.lockPrice ? { lockPrice: r.lockPrice } : {}),
    };
    account.orders.push(order);
    account.updateTime = now;
    this.emit(account, executionReport(order, 'NEW', now));
    const fills = this.matcher.work(account, spec, order, book, now, r.marketFills);
    this.emitPosition(account, spec, now);
    return { order, fills };
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

  cancel(account: Account, symbol: string, ref: OrderRef, cancelClientId: string, now: number): Order {
    const order = this.find(account, symbol, ref);
    if (!order || !isOpen(order)) throw errors.unknownOrder();
    const spec = this.market.spec(symbol);
    this.ledger.close(account, spec, order, 'CANCELED', now, cancelClientId);
    this.matcher.forget(order);
    this.emitPosition(account, spec, now);
    return order;
  }

  cancelAll(account: Account, symbol: string, now: number): { order: Order; cancelClientId: string }[] {
    const open = account.openOrders(symbol);
    if (open.length === 0) throw errors.unknownOrder();
    return open.map((order) => {
      const cancelClientId = randomKey(22);
      this.cancel(account, symbol, { orderId: order.orderId }, cancelClientId, now);
      return { order, cancelClientId };
    });
  }

  /** One market step: wake triggered stops, let crossed resting orders trade as makers. */
  tick(now: number): void {
    for (const [account, assets] of this.matcher.tick(now)) this.emit(account, accountPosition(account, assets, now));
  }

  private emitPosition(account: Account, spec: SymbolSpec, now: number): void {
    this.emit(account, accountPosition(account, [spec.baseAsset, spec.quoteAsset], now));
  }

  private emit(account: Account, event: UserEvent): void {
    for (const listener of this.listeners) listener(account.apiKey, event);
  }

  private next(counter: Map<string, number>, symbol: string): number {
    const id = (counter.get(symbol) ?? this.idBase) + 1;
    counter.set(symbol, id);
    return id;
  }
}

function lockOrReject(account: Account, asset: string, amount: Big): void {
  try {
    account.balances.lock(asset, amount);
  } catch (e) {
    if (e instanceof InsufficientBalance) throw errors.insufficientBalance();
    throw e;
  }
}
