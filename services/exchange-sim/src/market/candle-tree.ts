// One symbol's whole price history as a tree: days → hours → minutes → 250 ms ticks, each level
// carved from the one above (see subdivide.ts). Any span is answered by merging the coarsest
// nodes that tile it.
import { dayCandle } from './day-process.ts';
import { Lru } from './lru.ts';
import { merge, type Ohlc } from './ohlc.ts';
import type { Rng } from './rng.ts';
import { subdivide } from './subdivide.ts';
import type { SymbolSpec } from './symbols.ts';
import { DAY, HOUR, MINUTE, TICK, TICKS_PER_MINUTE } from './time-units.ts';

const LEVEL_HOURS = 1;
const LEVEL_MINUTES = 2;
const LEVEL_TICKS = 3;

export class CandleTree {
  // Per level, so the live price (a new 240-tick array every minute) cannot evict chart history.
  private readonly caches = new Map<number, Lru<Ohlc[]>>([
    [LEVEL_HOURS, new Lru(2_000)],
    [LEVEL_MINUTES, new Lru(2_000)],
    [LEVEL_TICKS, new Lru(32)],
  ]);

  constructor(
    private readonly spec: SymbolSpec,
    private readonly rng: Rng,
  ) {}

  day(d: number): Ohlc {
    return dayCandle(this.spec, this.rng, d);
  }

  hour(h: number): Ohlc {
    const day = Math.floor(h / 24);
    return this.children(LEVEL_HOURS, day, 24, () => this.day(day))[h - day * 24] as Ohlc;
  }

  minute(m: number): Ohlc {
    const hour = Math.floor(m / 60);
    return this.children(LEVEL_MINUTES, hour, 60, () => this.hour(hour))[m - hour * 60] as Ohlc;
  }

  tick(t: number): Ohlc {
    const minute = Math.floor(t / TICKS_PER_MINUTE);
    const kids = this.children(LEVEL_TICKS, minute, TICKS_PER_MINUTE, () => this.minute(minute));
    return kids[t - minute * TICKS_PER_MINUTE] as Ohlc;
  }

  /** Merge of every tick in [startMs, endMs); both ends are snapped to tick boundaries. */
  span(startMs: number, endMs: number): Ohlc | undefined {
    let at = Math.floor(startMs / TICK) * TICK;
    const end = Math.ceil(endMs / TICK) * TICK;
    let acc: Ohlc | undefined;
    while (at < end) {
      const [candle, width] = this.largestNodeAt(at, end);
      acc = acc ? merge(acc, candle) : candle;
      at += width;
    }
    return acc;
  }

  private largestNodeAt(at: number, end: number): [Ohlc, number] {
    if (at % DAY === 0 && at + DAY <= end) return [this.day(at / DAY), DAY];
    if (at % HOUR === 0 && at + HOUR <= end) return [this.hour(at / HOUR), HOUR];
    if (at % MINUTE === 0 && at + MINUTE <= end) return [this.minute(at / MINUTE), MINUTE];
    return [this.tick(at / TICK), TICK];
  }

  private children(level: number, index: number, n: number, parent: () => Ohlc): Ohlc[] {
    const cache = this.caches.get(level) as Lru<Ohlc[]>;
    return cache.getOrCompute(String(index), () => subdivide(parent(), n, this.rng, level, index));
  }
}
