// The market side of the venue: one deterministic price tree per symbol, admin price pins, and the
// prices the engine derives from them (last price, average price). The order book itself is the
// engine's (engine/book.ts); the market maker quotes into it around this market's mid.
import { Big, fromFloat } from '../decimal.ts';
import { errors } from '../errors.ts';
import { CandleTree } from './candle-tree.ts';
import { hashString, Rng } from './rng.ts';
import type { SymbolSpec } from './symbols.ts';
import { MINUTE, TICK } from './time-units.ts';

interface Listed {
  spec: SymbolSpec;
  rng: Rng;
  tree: CandleTree;
}

const PRICE_GRID = new Big('0.00000001');

export class Market {
  private readonly listed = new Map<string, Listed>();
  private readonly pins = new Map<string, Big>();

  constructor(seed: string, specs: readonly SymbolSpec[]) {
    for (const spec of specs) {
      const rng = new Rng(hashString(`${seed}:${spec.symbol}`));
      this.listed.set(spec.symbol, { spec, rng, tree: new CandleTree(spec, rng) });
    }
  }

  symbols(): string[] {
    return [...this.listed.keys()];
  }

  specs(): SymbolSpec[] {
    return [...this.listed.values()].map((l) => l.spec);
  }

  /** Throws Binance's -1121 for anything not listed, which is what every endpoint wants. */
  spec(symbol: string): SymbolSpec {
    return this.entry(symbol).spec;
  }

  find(symbol: string): SymbolSpec | undefined {
    return this.listed.get(symbol)?.spec;
  }

  tree(symbol: string): CandleTree {
    return this.entry(symbol).tree;
  }

  rng(symbol: string): Rng {
    return this.entry(symbol).rng;
  }

  /** Last price: the pinned one, else the close of the 250 ms tick containing `now`. */
  price(symbol: string, now: number): Big {
    const { spec, tree } = this.entry(symbol);
    const pinned = this.pins.get(symbol);
    if (pinned) return pinned;
    return fromFloat(tree.tick(Math.floor(now / TICK)).close, tickOf(spec));
  }

  /**
   * Binance's "average price over the last `mins` minutes" (avgPrice, and the reference of the
   * PERCENT_PRICE_BY_SIDE and NOTIONAL filters); 0 minutes or a pinned price mean the last price.
   */
  avgPrice(symbol: string, mins: number, now: number): Big {
    const { tree } = this.entry(symbol);
    if (mins <= 0 || this.pins.has(symbol)) return this.price(symbol, now);
    const c = tree.span(now - mins * MINUTE, now);
    return c ? fromFloat((c.high + c.low + 2 * c.close) / 4, PRICE_GRID) : this.price(symbol, now);
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
    const found = this.listed.get(symbol);
    if (!found) throw errors.invalidSymbol();
    return found;
  }
}

/** Prices are snapped to the tick size; a disabled tick size (0) falls back to 8 decimals. */
export const tickOf = (spec: SymbolSpec): Big => (spec.filters.price.tickSize.gt(0) ? spec.filters.price.tickSize : PRICE_GRID);
