// The matching rule on plain data (engine/match.ts): walk order, quantities, and what each STP mode
// decides. Given resting quotes (best first) and a taker, then the planned steps.
import t from 'tap';
import { Big } from '../src/decimal.ts';
import type { Quote } from '../src/engine/book.ts';
import { type MakerView, planMatch, type Step, type TakerSpec } from '../src/engine/match.ts';

const STEP = new Big('0.001');
let seq = 0;
const maker = (price: string, qty: string, self = false): MakerView => {
  const quote: Quote = { kind: 'mm', side: 'SELL', price: new Big(price), qty: new Big(qty), seq: ++seq };
  return { quote, price: new Big(price), available: new Big(qty), self };
};
const taker = (over: Partial<TakerSpec>): TakerSpec => ({ qty: new Big(1), stepSize: STEP, stp: 'EXPIRE_MAKER', fok: false, ...over });
const show = (s: Step) =>
  s.kind === 'trade' ? `trade ${s.qty}@${s.price}` : `prevent ${s.mode} taker ${s.takerQty} maker ${s.makerQty} @${s.price}`;

t.test('a taker takes makers in the order given (price, then time) and stops when done', async (t) => {
  const makers = [maker('100', '0.3'), maker('100', '0.3'), maker('101', '1'), maker('102', '5')];
  const plan = planMatch(makers, taker({ qty: new Big('1.0') }));
  t.same(plan.steps.map(show), ['trade 0.3@100', 'trade 0.3@100', 'trade 0.4@101']);
  t.equal(plan.filledQty.toString(), '1');
  t.equal(plan.quoteQty.toString(), '100.4', '0.6×100 + 0.4×101');
  t.same(
    plan.steps.map((s) => s.maker),
    makers.slice(0, 3).map((m) => m.quote),
    'each step names its maker',
  );
});

t.test('the walk ends where the makers end: the rest is for the caller (rest, or expire)', async (t) => {
  const plan = planMatch([maker('100', '0.2')], taker({ qty: new Big(1) }));
  t.same(plan.steps.map(show), ['trade 0.2@100']);
  t.equal(plan.filledQty.toString(), '0.2');
  t.notOk(plan.killed);
});

t.test('FOK: all or nothing', async (t) => {
  t.same(planMatch([maker('100', '0.5'), maker('101', '0.4')], taker({ qty: new Big(1), fok: true })), {
    steps: [],
    filledQty: new Big(0),
    quoteQty: new Big(0),
    takerExpiredInMatch: false,
    killed: true,
  });
  t.equal(planMatch([maker('100', '0.5'), maker('101', '0.5')], taker({ qty: new Big(1), fok: true })).filledQty.toString(), '1');
});

t.test('a quote budget buys whole steps at each price until it runs out', async (t) => {
  const plan = planMatch([maker('100', '0.5'), maker('200', '10')], taker({ qty: undefined, quote: new Big('100') }));
  // 0.5 at 100 costs 50; the remaining 50 buys 0.25 at 200.
  t.same(plan.steps.map(show), ['trade 0.5@100', 'trade 0.25@200']);
  t.equal(plan.quoteQty.toString(), '100');
  const rounded = planMatch([maker('3', '100')], taker({ qty: undefined, quote: new Big('10') }));
  t.same(rounded.steps.map(show), ['trade 3.333@3'], 'rounded down to the step');
});

t.test('STP NONE: the taker trades with its own resting orders', async (t) => {
  const plan = planMatch([maker('100', '1', true)], taker({ stp: 'NONE' }));
  t.same(plan.steps.map(show), ['trade 1@100']);
});

t.test("STP only looks at the taker's own orders", async (t) => {
  const plan = planMatch([maker('100', '0.5', false), maker('100', '0.5', false)], taker({ stp: 'EXPIRE_TAKER' }));
  t.same(plan.steps.map(show), ['trade 0.5@100', 'trade 0.5@100']);
});

t.test('STP EXPIRE_TAKER: the taker expires at its first self-match, with all it had left', async (t) => {
  const plan = planMatch([maker('100', '0.4'), maker('100', '5', true), maker('101', '5')], taker({ stp: 'EXPIRE_TAKER' }));
  t.same(plan.steps.map(show), ['trade 0.4@100', 'prevent EXPIRE_TAKER taker 0.6 maker 0 @100']);
  t.ok(plan.takerExpiredInMatch);
});

t.test('STP EXPIRE_MAKER: each own maker expires whole, the taker walks on', async (t) => {
  const plan = planMatch([maker('100', '2', true), maker('100', '0.3', true), maker('101', '5')], taker({ stp: 'EXPIRE_MAKER' }));
  t.same(plan.steps.map(show), ['prevent EXPIRE_MAKER taker 0 maker 2 @100', 'prevent EXPIRE_MAKER taker 0 maker 0.3 @100', 'trade 1@101']);
  t.notOk(plan.takerExpiredInMatch);
});

t.test('STP EXPIRE_BOTH: taker and maker both expire with what they had left', async (t) => {
  const plan = planMatch([maker('100', '2', true), maker('101', '5')], taker({ stp: 'EXPIRE_BOTH' }));
  t.same(plan.steps.map(show), ['prevent EXPIRE_BOTH taker 1 maker 2 @100']);
  t.ok(plan.takerExpiredInMatch);
});

t.test('STP DECREMENT: both lose the smaller quantity; the smaller order expires', async (t) => {
  // Binance's STP FAQ, scenario G: maker 6, taker 2 → the taker expires, the maker keeps 4.
  const takerSmaller = planMatch([maker('2', '6', true)], taker({ qty: new Big(2), stp: 'DECREMENT' }));
  t.same(takerSmaller.steps.map(show), ['prevent DECREMENT taker 2 maker 2 @2']);
  t.ok(takerSmaller.takerExpiredInMatch);
  // Maker smaller: it expires and the taker goes on to the next maker.
  const makerSmaller = planMatch([maker('2', '0.5', true), maker('3', '5')], taker({ qty: new Big(2), stp: 'DECREMENT' }));
  t.same(makerSmaller.steps.map(show), ['prevent DECREMENT taker 0.5 maker 0.5 @2', 'trade 1.5@3']);
  t.notOk(makerSmaller.takerExpiredInMatch);
  // Equal: both expire.
  const equal = planMatch([maker('2', '2', true), maker('3', '5')], taker({ qty: new Big(2), stp: 'DECREMENT' }));
  t.same(equal.steps.map(show), ['prevent DECREMENT taker 2 maker 2 @2']);
  t.ok(equal.takerExpiredInMatch);
});
