// The synthetic market maker, standing in for the rest of the market. Every tick it withdraws its
// quotes and posts a fresh ladder around the price process's mid (market/ladder.ts), behind any
// user orders already at those prices. A new quote that crosses a user's resting order trades with
// it first, at the resting order's price: that is how resting orders fill as the market moves, at
// most the crossing depth per tick. It also prints one trade per tick at the last price, so the
// public tape moves with the market.
import { floorTo } from '../decimal.ts';
import { quoteLadder } from '../market/ladder.ts';
import type { Market } from '../market/market.ts';
import type { SymbolSpec } from '../market/symbols.ts';
import { TICK } from '../market/time-units.ts';
import type { MarketMakerQuote, OrderBook } from './book.ts';
import type { Execution } from './execution.ts';
import type { Ids } from './ids.ts';
import { makersFor, stepOf } from './makers.ts';
import { planMatch } from './match.ts';
import type { Tape } from './tape.ts';

export class MarketMaker {
  private readonly quotes = new Map<string, MarketMakerQuote[]>();
  private readonly quotedTick = new Map<string, number>();

  constructor(
    private readonly market: Market,
    private readonly ids: Ids,
    private readonly tape: Tape,
  ) {}

  /** True when the symbol has been quoted for the tick containing `now`. */
  isCurrent(symbol: string, now: number): boolean {
    return (this.quotedTick.get(symbol) ?? -1) >= Math.floor(now / TICK);
  }

  requote(x: Execution, book: OrderBook, spec: SymbolSpec, now: number): void {
    const tick = Math.floor(now / TICK);
    this.quotedTick.set(spec.symbol, tick);
    for (const q of this.quotes.get(spec.symbol) ?? []) book.remove(q);
    const quotes: MarketMakerQuote[] = [];
    this.quotes.set(spec.symbol, quotes);
    const ladder = quoteLadder(spec, this.market.price(spec.symbol, now), this.market.rng(spec.symbol), tick);
    // Asks from the lowest up, then bids from the highest down: each new quote is a taker first.
    for (const [side, levels] of [
      ['SELL', ladder.asks],
      ['BUY', ladder.bids],
    ] as const) {
      for (const level of levels) {
        const plan = planMatch(makersFor(book, side, level.price, undefined), {
          qty: level.qty,
          stepSize: stepOf(spec),
          stp: 'NONE',
          fok: false,
        });
        x.apply(book, spec, { kind: 'mm', side }, plan);
        const left = level.qty.minus(plan.filledQty);
        if (left.lte(0)) continue;
        const quote: MarketMakerQuote = { kind: 'mm', side, price: level.price, qty: left, seq: book.takeSeq() };
        book.add(quote);
        quotes.push(quote);
      }
    }
  }

  /** One print per tick at the last price, between anonymous parties. */
  print(spec: SymbolSpec, now: number): void {
    const tick = Math.floor(now / TICK);
    const step = stepOf(spec);
    const raw = floorTo(spec.bookLevelQty.times(0.05 + ((tick * 7919) % 100) / 100), step);
    const qty = raw.gt(0) ? raw : step;
    const id = this.ids.next('tradeIds', spec.symbol);
    this.tape.record(spec.symbol, [{ id, price: this.market.price(spec.symbol, now), qty, isBuyerMaker: tick % 2 === 0 }], now);
  }
}
