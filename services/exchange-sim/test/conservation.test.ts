// Money is conserved exactly: over a long random (seeded) session of two accounts trading with the
// market maker and with each other — market and limit orders, IOC, quote-quantity orders, cancels,
// amends, self-trade prevention in every mode, fees in BNB for one of them — each account's
// balances equal its starting balances plus what its own trades say, its locked funds equal what
// its open orders hold, and no order's fills disagree with its executed quantity.
import t from 'tap';
import { Big } from '../src/decimal.ts';
import type { Account } from '../src/engine/accounts.ts';
import { isOpen, STP_MODES } from '../src/engine/types.ts';
import { BinanceError } from '../src/errors.ts';
import { TICK } from '../src/market/time-units.ts';
import { engineSim, place, T0 } from './fixtures/engine.ts';

const START: Record<string, string> = { USDT: '50000', ETH: '10', BNB: '5' };

t.test('funds are conserved exactly across a random two-account session', async (t) => {
  const sim = engineSim();
  const alice = sim.createAccount({ balances: START });
  const bob = sim.createAccount({ balances: START, payFeesInBnb: true });
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  let now = T0;
  let rejected = 0;
  for (let step = 0; step < 600; step++) {
    now += TICK * Math.floor(rand() * 6);
    const account = rand() < 0.5 ? alice : bob;
    const last = sim.market.price('ETHUSDT', now);
    const r = rand();
    const side = rand() < 0.5 ? 'BUY' : 'SELL';
    const qty = (0.01 + Math.floor(rand() * 200) / 100).toFixed(4);
    const price = last
      .times(1 + (rand() - 0.5) * 0.003)
      .round(2)
      .toFixed(2);
    const stp = pick(STP_MODES);
    try {
      if (r < 0.25) place(sim, account, now, { symbol: 'ETHUSDT', side, type: 'MARKET', quantity: qty, selfTradePreventionMode: stp });
      else if (r < 0.7)
        place(sim, account, now, {
          symbol: 'ETHUSDT',
          side,
          type: 'LIMIT',
          timeInForce: rand() < 0.8 ? 'GTC' : 'IOC',
          quantity: qty,
          price,
          selfTradePreventionMode: stp,
        });
      else if (r < 0.8)
        place(sim, account, now, { symbol: 'ETHUSDT', side, type: 'MARKET', quoteOrderQty: (10 + Math.floor(rand() * 2000)).toString() });
      else if (r < 0.9) {
        const victim = pick(account.openOrders('ETHUSDT'));
        if (victim) sim.exchange.cancel(account, 'ETHUSDT', { orderId: victim.orderId }, 'c', now);
      } else {
        const victim = pick(account.openOrders('ETHUSDT'));
        const left = victim?.origQty.minus(victim.executedQty).minus(victim.preventedQty);
        if (victim && left?.gt('0.0002')) {
          const newQty = victim.origQty.minus(left.div(2).round(4, Big.roundDown));
          sim.exchange.amend(account, 'ETHUSDT', { orderId: victim.orderId }, newQty, undefined, now);
        }
      }
    } catch (err) {
      if (!(err instanceof BinanceError)) throw err;
      rejected++;
    }
    sim.exchange.tick(now);
    for (const a of [alice, bob])
      for (const b of a.balances.list()) if (b.free.lt(0) || b.locked.lt(0)) t.fail(`${b.asset} negative at step ${step}`);
  }
  const self = (a: Account) => a.prevented.length;
  t.ok(alice.trades.length + bob.trades.length > 200, `${alice.trades.length + bob.trades.length} trades, ${rejected} rejections`);
  t.ok(self(alice) + self(bob) > 0, `${self(alice) + self(bob)} prevented self-matches`);
  const aliceIds = new Set(alice.trades.map((x) => x.id));
  t.ok(
    bob.trades.some((x) => aliceIds.has(x.id)),
    'alice and bob traded with each other',
  );
  t.ok(
    bob.trades.some((x) => x.commissionAsset === 'BNB'),
    'bob paid fees in BNB',
  );
  t.ok(alice.trades.some((x) => x.isMaker) && bob.trades.some((x) => x.isMaker), 'both had resting orders filled');
  for (const [name, a] of [
    ['alice', alice],
    ['bob', bob],
  ] as const) {
    const expected = new Map(Object.entries(START).map(([k, v]) => [k, new Big(v)]));
    const add = (asset: string, x: Big) => expected.set(asset, (expected.get(asset) ?? new Big(0)).plus(x));
    for (const x of a.trades) {
      add('ETH', x.isBuyer ? x.qty : x.qty.times(-1));
      add('USDT', x.isBuyer ? x.quoteQty.times(-1) : x.quoteQty);
      add(x.commissionAsset, x.commission.times(-1));
    }
    const total = (asset: string) => a.balances.freeOf(asset).plus(a.balances.lockedOf(asset));
    for (const [asset, amount] of expected) t.equal(total(asset).toFixed(8), amount.toFixed(8), `${name}: ${asset} = start + trades`);
    const held = (side: 'BUY' | 'SELL') => a.openOrders('ETHUSDT').reduce((s, o) => (o.side === side ? s.plus(o.locked) : s), new Big(0));
    t.equal(a.balances.lockedOf('USDT').toFixed(8), held('BUY').toFixed(8), `${name}: locked USDT is what open BUYs hold`);
    t.equal(a.balances.lockedOf('ETH').toFixed(8), held('SELL').toFixed(8), `${name}: locked ETH is what open SELLs hold`);
    for (const o of a.orders) {
      if (!isOpen(o) && !o.locked.eq(0)) t.fail(`${name}: closed order ${o.orderId} holds ${o.locked}`);
      const fills = a.trades.filter((x) => x.orderId === o.orderId && x.isBuyer === (o.side === 'BUY'));
      const qty = fills.reduce((s, x) => s.plus(x.qty), new Big(0));
      if (!qty.eq(o.executedQty)) t.fail(`${name}: order ${o.orderId} executedQty ${o.executedQty} != fills ${qty}`);
      if (o.executedQty.plus(o.preventedQty).gt(o.origQty)) t.fail(`${name}: order ${o.orderId} traded more than its quantity`);
    }
  }
});
