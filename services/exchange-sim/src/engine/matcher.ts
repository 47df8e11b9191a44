// Matching against the synthetic book: taker execution for orders that start working, and the
// per-tick pass over resting limits (as makers) and untriggered stops.
import { type Big, minBig } from '../decimal.ts';
import type { Book } from '../market/book.ts';
import type { Market } from '../market/market.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import type { Account } from './accounts.ts';
import type { Ledger } from './ledger.ts';
import { isTriggered } from './triggers.ts';
import { isOpen, type Order, type Trade } from './types.ts';
import { depthOf, type Fill, opposite, sumQuote, takeQty } from './walk.ts';

export class Matcher {
  /** Open orders that need the tick: resting limits and untriggered stops. */
  private readonly resting = new Map<Order, Account>();

  constructor(
    private readonly market: Market,
    private readonly ledger: Ledger,
  ) {}

  forget(order: Order): void {
    this.resting.delete(order);
  }

  /** One market step; answers whose balances moved, in which assets. */
  tick(now: number): Map<Account, Set<string>> {
    const books = new Map<string, { book: Book; last: Big }>();
    const touched = new Map<Account, Set<string>>();
    for (const [order, account] of [...this.resting]) {
      if (!isOpen(order)) {
        this.resting.delete(order);
        continue;
      }
      const spec = this.market.spec(order.symbol);
      let view = books.get(order.symbol);
      if (!view) {
        view = { book: this.market.book(order.symbol, now), last: this.market.price(order.symbol, now) };
        books.set(order.symbol, view);
      }
      if (this.step(account, spec, order, view.book, view.last, now)) {
        const assets = touched.get(account) ?? new Set<string>();
        touched.set(account, assets.add(spec.baseAsset).add(spec.quoteAsset));
      }
      if (!isOpen(order)) this.resting.delete(order);
    }
    return touched;
  }

  private step(account: Account, spec: SymbolSpec, order: Order, book: Book, last: Big, now: number): boolean {
    if (order.workingTime < 0) {
      if (!isTriggered(order.type, order.side, order.stopPrice, last)) return false;
      order.workingTime = now;
      this.resting.delete(order);
      this.work(account, spec, order, book, now);
      return true;
    }
    const remaining = order.origQty.minus(order.executedQty);
    const qty = minBig(remaining, depthOf(opposite(book, order.side, order.price)));
    if (qty.lte(0)) return false;
    // A resting order is the maker: it trades at its own limit, whatever the book offers.
    this.ledger.fill(account, spec, order, order.price, qty, true, now);
    return true;
  }

  /** Runs a working order as a taker; what may rest is handed to the tick. */
  work(account: Account, spec: SymbolSpec, order: Order, book: Book, now: number, planned?: Fill[]): Trade[] {
    if (order.workingTime < 0 || order.type === 'LIMIT_MAKER') {
      this.resting.set(order, account);
      return [];
    }
    const remaining = order.origQty.minus(order.executedQty);
    if (order.type === 'MARKET' || order.type === 'STOP_LOSS' || order.type === 'TAKE_PROFIT') {
      const fills = planned ?? this.planTriggeredMarket(account, spec, order, book, remaining);
      const trades = fills.map((f) => this.ledger.fill(account, spec, order, f.price, f.qty, false, now));
      // Binance expires what a market order could not fill instead of leaving it on the book.
      if (isOpen(order)) this.ledger.close(account, spec, order, 'EXPIRED', now);
      return trades;
    }
    const levels = opposite(book, order.side, order.price);
    const fok = order.timeInForce === 'FOK';
    const fills = fok && depthOf(levels).lt(remaining) ? [] : takeQty(levels, remaining);
    const trades = fills.map((f) => this.ledger.fill(account, spec, order, f.price, f.qty, false, now));
    if (isOpen(order)) {
      if (order.timeInForce === 'GTC') this.resting.set(order, account);
      else this.ledger.close(account, spec, order, 'EXPIRED', now);
    }
    return trades;
  }

  /** A stop-market BUY only learns its cost when it fires; unfundable, it fills nothing. */
  private planTriggeredMarket(account: Account, spec: SymbolSpec, order: Order, book: Book, qty: Big): Fill[] {
    const fills = takeQty(opposite(book, order.side), qty);
    if (order.side === 'SELL') return fills;
    const cost = sumQuote(fills);
    if (account.balances.freeOf(spec.quoteAsset).lt(cost)) return [];
    account.balances.lock(spec.quoteAsset, cost);
    order.locked = order.locked.plus(cost);
    return fills;
  }
}
