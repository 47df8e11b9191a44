// The matching rule as a pure function: given the resting quotes a taker crosses (best price first,
// FIFO within a price) and what the taker wants, the list of steps to execute — trades at the
// maker's price, and self-trade preventions decided by the taker's STP mode. Nothing is mutated;
// the exchange applies the plan (engine/apply.ts), so every rule is testable on plain data.
import { type Big, floorTo, minBig, ZERO } from '../decimal.ts';
import type { Quote } from './book.ts';
import type { StpMode } from './types.ts';

export interface MakerView {
  quote: Quote;
  price: Big;
  /** What the maker can still trade. */
  available: Big;
  /** Same account as the taker: a self-trade that STP may prevent. */
  self: boolean;
}

export interface TakerSpec {
  /** Base quantity the taker still wants; undefined when it spends a quote budget. */
  qty?: Big;
  /** Quote budget of a MARKET order sent with quoteOrderQty. */
  quote?: Big;
  /** Base step a quote-budget order is rounded down to. */
  stepSize: Big;
  stp: StpMode;
  /** Fill or kill: everything or nothing. */
  fok: boolean;
}

export type Step =
  | { kind: 'trade'; maker: Quote; price: Big; qty: Big }
  | {
      kind: 'prevent';
      maker: Quote;
      price: Big;
      mode: StpMode;
      /** Quantity taken off the taker (0 when the mode leaves it alone). */
      takerQty: Big;
      /** Quantity taken off the maker. */
      makerQty: Big;
    };

export interface Plan {
  steps: Step[];
  filledQty: Big;
  quoteQty: Big;
  /** The taker has nothing left because STP took it (EXPIRE_TAKER, EXPIRE_BOTH, DECREMENT). */
  takerExpiredInMatch: boolean;
  /** A FOK order that could not fill completely: nothing happens. */
  killed: boolean;
}

export function planMatch(makers: Iterable<MakerView>, taker: TakerSpec): Plan {
  const steps: Step[] = [];
  let left = taker.qty;
  let budget = taker.quote;
  let filled = ZERO;
  let quote = ZERO;
  let expired = false;
  for (const m of makers) {
    // What the taker can still take at this maker's price.
    const want = left ?? (budget === undefined ? ZERO : floorTo(budget.div(m.price), taker.stepSize));
    if (want.lte(0)) break;
    if (m.self && taker.stp !== 'NONE') {
      const step = prevent(m, want, taker.stp);
      steps.push(step);
      if (left !== undefined) left = left.minus(step.takerQty);
      else if (budget !== undefined) budget = budget.minus(step.takerQty.times(m.price));
      if (step.takerQty.gt(0) && step.takerQty.eq(want)) {
        expired = true;
        break;
      }
      continue;
    }
    const qty = minBig(want, m.available);
    if (qty.lte(0)) continue;
    steps.push({ kind: 'trade', maker: m.quote, price: m.price, qty });
    filled = filled.plus(qty);
    quote = quote.plus(qty.times(m.price));
    if (left !== undefined) left = left.minus(qty);
    else if (budget !== undefined) budget = budget.minus(qty.times(m.price));
  }
  if (taker.fok && taker.qty !== undefined && filled.lt(taker.qty)) {
    return { steps: [], filledQty: ZERO, quoteQty: ZERO, takerExpiredInMatch: false, killed: true };
  }
  return { steps, filledQty: filled, quoteQty: quote, takerExpiredInMatch: expired, killed: false };
}

/** STP is decided by the taker's mode (Binance's STP FAQ); `want` is what the taker has left. */
function prevent(m: MakerView, want: Big, mode: StpMode): Extract<Step, { kind: 'prevent' }> {
  const base = { kind: 'prevent' as const, maker: m.quote, price: m.price, mode };
  switch (mode) {
    case 'EXPIRE_TAKER':
      return { ...base, takerQty: want, makerQty: ZERO };
    case 'EXPIRE_MAKER':
      return { ...base, takerQty: ZERO, makerQty: m.available };
    case 'EXPIRE_BOTH':
      return { ...base, takerQty: want, makerQty: m.available };
    case 'DECREMENT': {
      const q = minBig(want, m.available);
      return { ...base, takerQty: q, makerQty: q };
    }
    case 'NONE':
      throw new Error('STP NONE never prevents a match');
    default: {
      const never: never = mode;
      throw new Error(`unknown STP mode ${String(never)}`);
    }
  }
}
