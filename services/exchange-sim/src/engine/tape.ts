// The public trade tape of each symbol: every trade (users', the market maker's, and one synthetic
// print per tick for the market's own activity), newest last, in a bounded ring. It serves
// /trades, /historicalTrades and /aggTrades, and feeds the trade and aggTrade streams. An
// aggregate is the run of trades of one taker execution at one price; its id is its first trade's.
import type { Big } from '../decimal.ts';

export interface PublicTrade {
  id: number;
  price: Big;
  qty: Big;
  quoteQty: Big;
  time: number;
  isBuyerMaker: boolean;
  /** Id of the aggregate the trade belongs to (its first trade's id). */
  aggId: number;
}

export interface AggTrade {
  a: number;
  price: Big;
  qty: Big;
  firstId: number;
  lastId: number;
  time: number;
  isBuyerMaker: boolean;
}

export interface TapeTrade {
  id: number;
  price: Big;
  qty: Big;
  isBuyerMaker: boolean;
}

export type TapeListener = (symbol: string, trades: PublicTrade[], aggs: AggTrade[]) => void;

/** Trades kept per symbol; older ones are gone from /historicalTrades, as archived data would be. */
export const TAPE_CAPACITY = 10_000;

export class Tape {
  private readonly rings = new Map<string, PublicTrade[]>();
  private readonly listeners = new Set<TapeListener>();

  onTrades(listener: TapeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One taker execution's trades, in order: consecutive trades at one price form one aggregate. */
  record(symbol: string, trades: TapeTrade[], time: number): void {
    if (trades.length === 0) return;
    const ring = this.ring(symbol);
    const added: PublicTrade[] = [];
    const aggs: AggTrade[] = [];
    for (const t of trades) {
      const last = aggs[aggs.length - 1];
      if (last?.price.eq(t.price) && last.isBuyerMaker === t.isBuyerMaker) {
        last.qty = last.qty.plus(t.qty);
        last.lastId = t.id;
      } else {
        aggs.push({ a: t.id, price: t.price, qty: t.qty, firstId: t.id, lastId: t.id, time, isBuyerMaker: t.isBuyerMaker });
      }
      const agg = aggs[aggs.length - 1] as AggTrade;
      added.push({
        id: t.id,
        price: t.price,
        qty: t.qty,
        quoteQty: t.price.times(t.qty),
        time,
        isBuyerMaker: t.isBuyerMaker,
        aggId: agg.a,
      });
    }
    ring.push(...added);
    if (ring.length > TAPE_CAPACITY) ring.splice(0, ring.length - TAPE_CAPACITY);
    for (const l of this.listeners) l(symbol, added, aggs);
  }

  last(symbol: string): PublicTrade | undefined {
    const ring = this.ring(symbol);
    return ring[ring.length - 1];
  }

  /** The most recent `limit` trades. */
  recent(symbol: string, limit: number): PublicTrade[] {
    return this.ring(symbol).slice(-limit);
  }

  /** Up to `limit` trades with id >= fromId (from the oldest kept, if fromId is older). */
  from(symbol: string, fromId: number, limit: number): PublicTrade[] {
    const ring = this.ring(symbol);
    const start = lowerBound(ring, fromId);
    return ring.slice(start, start + limit);
  }

  aggregates(symbol: string, q: { fromId?: number; startTime?: number; endTime?: number; limit: number }): AggTrade[] {
    const { fromId, startTime, endTime, limit } = q;
    let list = groupAggs(this.ring(symbol));
    if (fromId !== undefined) list = list.filter((a) => a.a >= fromId);
    if (startTime !== undefined) list = list.filter((a) => a.time >= startTime);
    if (endTime !== undefined) list = list.filter((a) => a.time <= endTime);
    return fromId !== undefined || startTime !== undefined ? list.slice(0, limit) : list.slice(-limit);
  }

  private ring(symbol: string): PublicTrade[] {
    let ring = this.rings.get(symbol);
    if (!ring) {
      ring = [];
      this.rings.set(symbol, ring);
    }
    return ring;
  }
}

function lowerBound(ring: PublicTrade[], id: number): number {
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ring[mid] as PublicTrade).id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function groupAggs(ring: PublicTrade[]): AggTrade[] {
  const out: AggTrade[] = [];
  for (const t of ring) {
    const last = out[out.length - 1];
    if (last && last.a === t.aggId) {
      last.qty = last.qty.plus(t.qty);
      last.lastId = t.id;
    } else {
      out.push({ a: t.aggId, price: t.price, qty: t.qty, firstId: t.id, lastId: t.id, time: t.time, isBuyerMaker: t.isBuyerMaker });
    }
  }
  return out;
}
