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
    const { spec, rng } = this.entry(symbol);
    return syntheticBook(spec, this.price(symbol, now), rng, Math.floor(now / TICK));
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
