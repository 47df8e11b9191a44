// Id sequences. Order, trade and prevented-match ids are per symbol, as on Binance; execution ids
// (`I` of executionReport) are one sequence. A fresh venue starts them at a boot-time base
// (unix seconds × 1000), so ids of different simulator data directories do not collide either.
import type { CountersState } from './changes.ts';

type Kind = 'orderIds' | 'tradeIds' | 'preventedMatchIds';

export class Ids {
  private state: CountersState;

  constructor(private readonly base: number) {
    this.state = { orderIds: {}, tradeIds: {}, preventedMatchIds: {}, bookSeq: {}, executionId: base };
  }

  next(kind: Kind, symbol: string): number {
    const map = this.state[kind];
    const id = map[symbol] ?? (kind === 'preventedMatchIds' ? 0 : this.base + 1);
    map[symbol] = id + 1;
    return id;
  }

  nextExecutionId(): number {
    this.state.executionId += 1;
    return this.state.executionId;
  }

  /** The next id `next` would return, without taking it. */
  peek(kind: Kind, symbol: string): number {
    return this.state[kind][symbol] ?? (kind === 'preventedMatchIds' ? 0 : this.base + 1);
  }

  snapshot(bookSeq: Record<string, number>): CountersState {
    return {
      orderIds: { ...this.state.orderIds },
      tradeIds: { ...this.state.tradeIds },
      preventedMatchIds: { ...this.state.preventedMatchIds },
      bookSeq,
      executionId: this.state.executionId,
    };
  }

  /**
   * Recovery. `tradeIdGap` covers trade ids the market's synthetic prints took after the last
   * durable record (at most one per symbol per tick; they are not journaled).
   */
  restore(s: CountersState, tradeIdGap: number): void {
    const bump = (m: Record<string, number>, by: number) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v + by]));
    this.state = {
      orderIds: { ...s.orderIds },
      tradeIds: bump(s.tradeIds, tradeIdGap),
      preventedMatchIds: { ...s.preventedMatchIds },
      bookSeq: { ...s.bookSeq },
      executionId: s.executionId,
    };
  }

  /** Never hand out an id at or below one already used (recovered orders and trades). */
  atLeast(kind: Kind, symbol: string, used: number): void {
    const map = this.state[kind];
    if ((map[symbol] ?? 0) <= used) map[symbol] = used + 1;
  }
}
