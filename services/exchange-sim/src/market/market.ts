// The market side of the venue: one deterministic price tree per symbol, admin price pins, and
// the synthetic book every trade is matched against.
import { type Big, fromFloat } from '../decimal.ts';
import { errors } from '../errors.ts';
import { type Book, syntheticBook } from './book.ts';
import { CandleTree } from './candle-tree.ts';
import { hashString, Rng } from './rng.ts';
import { findSymbol, SYMBOLS, type SymbolSpec } from './symbols.ts';
import { TICK } from './time-units.ts';

interface Listed {
  spec: SymbolSpec;
  rng: Rng;
  tree: CandleTree;
  /** The last book built: a pure function of (mid, tick), asked for by every order and depth request. */
  lastBook?: { tick: number; mid: string; book: Book };
}

export class Market {
  private readonly listed = new Map<string, Listed>();
  private readonly pins = new Map<string, Big>();

  constructor(seed: string) {
    for (const spec of SYMBOLS) {
      const rng = new Rng(hashString(`${seed}:${spec.symbol}`));
      this.listed.set(spec.symbol, { spec, rng, tree: new CandleTree(spec, rng) });
    }
  }

  symbols(): string[] {
    return [...this.listed.keys()];
  }

  /** Throws Binance's -1121 for anything not listed, which is what every endpoint wants. */
  spec(symbol: string): SymbolSpec {
    return this.entry(symbol).spec;
  }

  tree(symbol: string): CandleTree {
    return this.entry(symbol).tree;
  }

  /** Last price: the pinned one, else the close of the 250 ms tick containing `now`. */
  price(symbol: string, now: number): Big {
    const { spec, tree } = this.entry(symbol);
    const pinned = this.pins.get(symbol);
    if (pinned) return pinned;
    return fromFloat(tree.tick(Math.floor(now / TICK)).close, spec.tickSize);
  }

  book(symbol: string, now: number): Book {
    const listed = this.entry(symbol);
    const tick = Math.floor(now / TICK);
    const mid = this.price(symbol, now);
    const key = mid.toString();
    const last = listed.lastBook;
    if (last && last.tick === tick && last.mid === key) return last.book;
    const book = syntheticBook(listed.spec, mid, listed.rng, tick);
    listed.lastBook = { tick, mid: key, book };
    return book;
  }

  pin(symbol: string, price: Big): void {
    this.entry(symbol);
    this.pins.set(symbol, price);
  }

  unpin(symbol: string): void {
    this.entry(symbol);
    this.pins.delete(symbol);
  }

  isPinned(symbol: string): boolean {
    return this.pins.has(symbol);
  }

  private entry(symbol: string): Listed {
    const found = findSymbol(symbol) && this.listed.get(symbol);
    if (!found) throw errors.invalidSymbol();
    return found;
  }
}
