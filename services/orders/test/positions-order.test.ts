// A position is the venue's trades folded in the venue's order, whatever order their fills were
// recorded in: random buys and sells, recorded shuffled within a few places of their true order,
// give exactly the position of the trades folded in order.
import t from 'tap';
import {
  applyFill,
  applyFillInVenueOrder,
  flatPosition,
  flatSequencedPosition,
  REORDER_WINDOW,
  type SequencedFill,
  type SequencedPosition,
} from '../src/index.ts';

/** Deterministic, so a failure names its seed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function trades(seed: number, n: number): SequencedFill[] {
  const r = rng(seed);
  const start = Date.parse('2026-12-07T10:00:00.000Z');
  return Array.from({ length: n }, (_, i) => ({
    tradeId: String(1000 + i),
    // Several trades share a millisecond: the trade id orders them.
    at: new Date(start + Math.floor(i / 3)).toISOString(),
    side: r() < 0.55 ? 'BUY' : 'SELL',
    price: (60_000 + Math.floor(r() * 2000) / 100).toFixed(2),
    quantity: (Math.floor(r() * 900 + 100) / 100_000).toFixed(5),
    fee: '0.01',
    feeAsset: 'USDT',
    feeQuoteRate: '1',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
  }));
}

/** The trades, each moved at most `reach` places from where it belongs. */
function shuffledNearby<T>(items: T[], reach: number, r: () => number): T[] {
  const keyed = items.map((item, i) => ({ item, key: i + r() * reach }));
  return keyed.sort((a, b) => a.key - b.key).map((k) => k.item);
}

const shown = ({ quantity, avgEntryPrice, realizedPnl, fees, feesByAsset }: SequencedPosition) => ({
  quantity,
  avgEntryPrice,
  realizedPnl,
  fees,
  feesByAsset,
});

t.test('fills recorded out of order give the position of the venue order (100 random histories)', async (t) => {
  let mostKept = 0;
  for (let seed = 1; seed <= 100; seed++) {
    const inOrder = trades(seed, 120);
    const expected = inOrder.reduce(applyFill, flatPosition());
    const recorded = shuffledNearby(inOrder, 1 + (seed % 12), rng(seed * 7919));
    const ours = recorded.reduce(applyFillInVenueOrder, flatSequencedPosition());
    if (JSON.stringify(shown(ours)) !== JSON.stringify(expected)) {
      t.same(shown(ours), expected, `seed ${seed}`);
      return;
    }
    mostKept = Math.max(mostKept, ours.recent.length);
  }
  t.pass('all 100 equal');
  t.equal(mostKept, REORDER_WINDOW, 'the kept fills stay bounded by the window');
});

t.test('in order, the position is the plain fold and the window holds the last fills', async (t) => {
  const inOrder = trades(42, REORDER_WINDOW * 3);
  const ours = inOrder.reduce(applyFillInVenueOrder, flatSequencedPosition());
  t.same(shown(ours), inOrder.reduce(applyFill, flatPosition()));
  t.equal(ours.recent.length, REORDER_WINDOW);
  t.same(ours.settled, inOrder.slice(0, -REORDER_WINDOW).reduce(applyFill, flatPosition()), 'settled is everything before the window');
});

t.test('a fill older than the whole window joins the settled part', async (t) => {
  const inOrder = trades(7, REORDER_WINDOW + 10);
  const late = inOrder[0] as SequencedFill;
  const ours = [...inOrder.slice(1), late].reduce(applyFillInVenueOrder, flatSequencedPosition());
  // 73 fills arrived before it: the window keeps the last 64, the first 9 are settled.
  const settledPart = inOrder.slice(1, 10);
  t.same(ours.settled, [...settledPart, late].reduce(applyFill, flatPosition()), 'folded where it arrived, on the settled part');
  t.same(shown(ours), ours.recent.reduce(applyFill, ours.settled), 'the position is the window on top of it');
});
