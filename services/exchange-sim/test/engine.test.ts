// The matching engine without HTTP: partial fills across ticks and exact conservation of funds
// over a long random (seeded) session.
import t from 'tap';
import { Big } from '../src/decimal.ts';
import type { Account } from '../src/engine/accounts.ts';
import { parseNewOrder } from '../src/engine/order-request.ts';
import { isOpen } from '../src/engine/types.ts';
import { BinanceError } from '../src/errors.ts';
import { TICK } from '../src/market/time-units.ts';
import { Params } from '../src/params.ts';
import { Simulator } from '../src/simulator.ts';

const config = { port: 0, host: '127.0.0.1', adminToken: 'x', seed: 'engine', feeRate: '0.001', startingUsdt: '10000' };
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

const place = (sim: Simulator, account: Account, now: number, params: Record<string, string>) =>
  sim.exchange.place(account, parseNewOrder(Params.fromObject(params), sim.market), now);

t.test('a resting order bigger than the book fills over several ticks', async (t) => {
  const sim = new Simulator(config);
  const account = sim.createAccount({ USDT: '5000000' });
  sim.market.pin('BTCUSDT', new Big('60000'));
  const { order } = place(sim, account, T0, {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '60',
    price: '59000',
  });
  t.equal(order.status, 'NEW');
  sim.market.pin('BTCUSDT', new Big('58000'));
  const seen: string[] = [];
  for (let i = 1; i <= 10 && isOpen(order); i++) {
    sim.exchange.tick(T0 + i * TICK);
    seen.push(`${order.status}:${order.executedQty}`);
  }
  t.equal(order.status, 'FILLED');
  t.ok(seen.length > 1 && seen[0]?.startsWith('PARTIALLY_FILLED'), `fills: ${seen.join(', ')}`);
  t.ok(account.trades.every((x) => x.price.eq(59000) && x.isMaker));
  t.equal(account.balances.lockedOf('USDT').toString(), '0');
  t.equal(account.balances.freeOf('USDT').toFixed(8), new Big('5000000').minus(new Big('59000').times(60)).toFixed(8));
});

t.test('funds are conserved exactly across a random session', async (t) => {
  const sim = new Simulator(config);
  const account = sim.createAccount({ USDT: '50000', ETH: '10' });
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  let now = T0;
  let rejected = 0;
  for (let step = 0; step < 400; step++) {
    now += TICK * (1 + Math.floor(rand() * 20));
    const last = sim.market.price('ETHUSDT', now);
    const r = rand();
    const side = rand() < 0.5 ? 'BUY' : 'SELL';
    const qty = (0.01 + Math.floor(rand() * 300) / 100).toFixed(4);
    const offset = last
      .times(1 + (rand() - 0.5) * 0.004)
      .round(2)
      .toFixed(2);
    try {
      if (r < 0.3) place(sim, account, now, { symbol: 'ETHUSDT', side, type: 'MARKET', quantity: qty });
      else if (r < 0.75)
        place(sim, account, now, {
          symbol: 'ETHUSDT',
          side,
          type: 'LIMIT',
          timeInForce: rand() < 0.8 ? 'GTC' : 'IOC',
          quantity: qty,
          price: offset,
        });
      else if (r < 0.85)
        place(sim, account, now, { symbol: 'ETHUSDT', side, type: 'MARKET', quoteOrderQty: (10 + Math.floor(rand() * 2000)).toString() });
      else {
        const open = account.openOrders('ETHUSDT');
        const victim = open[Math.floor(rand() * open.length)];
        if (victim) sim.exchange.cancel(account, 'ETHUSDT', { orderId: victim.orderId }, 'c', now);
      }
    } catch (err) {
      if (!(err instanceof BinanceError)) throw err;
      rejected++;
    }
    sim.exchange.tick(now);
    for (const b of account.balances.list()) if (b.free.lt(0) || b.locked.lt(0)) t.fail(`${b.asset} negative at step ${step}`);
  }
  let usdt = new Big(50000);
  let eth = new Big(10);
  for (const x of account.trades) {
    if (x.isBuyer) [usdt, eth] = [usdt.minus(x.quoteQty), eth.plus(x.qty).minus(x.commission)];
    else [usdt, eth] = [usdt.plus(x.quoteQty).minus(x.commission), eth.minus(x.qty)];
  }
  const total = (a: string) => account.balances.freeOf(a).plus(account.balances.lockedOf(a));
  t.ok(account.trades.length > 100, `${account.trades.length} trades, ${rejected} rejections`);
  t.equal(total('USDT').toFixed(8), usdt.toFixed(8), 'USDT = start + trades');
  t.equal(total('ETH').toFixed(8), eth.toFixed(8), 'ETH = start + trades');
  const lockedByOrders = account.openOrders('ETHUSDT').reduce((s, o) => (o.side === 'BUY' ? s.plus(o.locked) : s), new Big(0));
  t.equal(account.balances.lockedOf('USDT').toFixed(8), lockedByOrders.toFixed(8), 'locked USDT is exactly what open BUYs hold');
  for (const o of account.orders) {
    if (!isOpen(o)) t.equal(o.locked.toString(), '0', `closed order ${o.orderId} holds nothing`);
    const fills = account.trades.filter((x) => x.orderId === o.orderId);
    const qty = fills.reduce((s, x) => s.plus(x.qty), new Big(0));
    if (!qty.eq(o.executedQty)) t.fail(`order ${o.orderId} executedQty ${o.executedQty} != fills ${qty}`);
  }
});
