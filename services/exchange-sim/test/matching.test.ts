// The matching engine's rules, one test each, on the engine itself with the clock held still: the
// price is pinned at 60000, so the market maker bids 59997.00 and below and asks 60003.00 and above,
// and users' orders placed inside that spread meet only each other unless a test says otherwise.
import t from 'tap';
import { Big } from '../src/decimal.ts';
import { TICK } from '../src/market/time-units.ts';
import { engineSim, levels, pinnedBtc, place, recordEvents, sequence, T0 } from './fixtures/engine.ts';

const limit = (side: 'BUY' | 'SELL', quantity: string, price: string, extra: Record<string, string> = {}) => ({
  symbol: 'BTCUSDT',
  side,
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity,
  price,
  ...extra,
});

t.test('FIFO at a price: the earliest resting order fills first, the next one partially', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const a = sim.createAccount({ BTC: '1' });
  const b = sim.createAccount({ BTC: '1' });
  const c = sim.createAccount({ BTC: '1' });
  const buyer = sim.createAccount({ USDT: '100000' });
  const orders = [a, b, c].map((acct) => place(sim, acct, T0, limit('SELL', '0.3', '60001')).order);
  t.same(levels(sim, 'SELL', 1), ['60001:0.9'], 'one level holds all three');
  const { order, fills } = place(sim, buyer, T0, limit('BUY', '0.5', '60001', { timeInForce: 'IOC' }));
  t.same(
    fills.map((f) => `${f.qty}@${f.price}`),
    ['0.3@60001', '0.2@60001'],
  );
  t.equal(order.status, 'FILLED');
  t.same(
    orders.map((o) => `${o.status} ${o.executedQty}`),
    ['FILLED 0.3', 'PARTIALLY_FILLED 0.2', 'NEW 0'],
  );
  t.same(levels(sim, 'SELL', 1), ['60001:0.4'], 'the level shrank by what was taken');
  t.same(
    a.trades.map((x) => [x.isMaker, x.isBuyer, x.id]),
    [[true, false, fills[0]?.id]],
    'the maker trade has the taker fill’s id',
  );
});

t.test('time priority holds between users and the market maker: a re-quote goes to the back', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const seller = sim.createAccount({ BTC: '1' });
  const buyer = sim.createAccount({ USDT: '100000' });
  const mmBest = sim.exchange.book('BTCUSDT').best('SELL');
  t.equal(mmBest?.price.toString(), '60003');
  const mine = place(sim, seller, T0, limit('SELL', '0.1', '60003')).order;
  // Same tick: the market maker's quote at 60003 came first.
  const first = place(sim, buyer, T0, limit('BUY', '0.01', '60003', { timeInForce: 'IOC' }));
  t.equal(first.order.status, 'FILLED');
  t.equal(mine.executedQty.toString(), '0', 'the earlier market-maker quote filled first');
  // Next tick the market maker re-quotes and queues behind the resting user order.
  const next = T0 + TICK;
  sim.exchange.tick(next);
  place(sim, buyer, next, limit('BUY', '0.05', '60003', { timeInForce: 'IOC' }));
  t.equal(mine.executedQty.toString(), '0.05', 'now the user order is first in the queue');
});

t.test('one taker fills several makers, each at its own price, best first, then walks on into the market maker', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const a = sim.createAccount({ BTC: '1' });
  const b = sim.createAccount({ BTC: '1' });
  const buyer = sim.createAccount({ USDT: '200000' });
  const sellB = place(sim, b, T0, limit('SELL', '0.3', '60002')).order;
  const sellA = place(sim, a, T0, limit('SELL', '0.2', '60001')).order;
  const { order, fills } = place(sim, buyer, T0, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '1' });
  t.same(
    fills.slice(0, 3).map((f) => `${f.qty}@${f.price}`),
    ['0.2@60001', '0.3@60002', `${fills[2]?.qty}@60003`],
  );
  t.equal(order.executedQty.toString(), '1');
  t.same([sellA.status, sellB.status], ['FILLED', 'FILLED']);
  t.ok(
    fills.every((f, i) => i === 0 || f.price.gte(fills[i - 1]?.price ?? 0)),
    'prices never improve along the walk',
  );
  const paid = fills.reduce((s, f) => s.plus(f.quoteQty), new Big(0));
  t.equal(order.cummulativeQuoteQty.toString(), paid.toString());
  t.equal(buyer.balances.freeOf('USDT').toString(), new Big(200000).minus(paid).toString(), 'paid exactly the walk');
  t.equal(buyer.balances.lockedOf('USDT').toString(), '0');
});

t.test('a resting order filled by the market moving reduces its level, and leaves the book when done', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const bidder = sim.createAccount({ USDT: '100000' });
  const bid = place(sim, bidder, T0, limit('BUY', '0.5', '59999')).order;
  t.same(levels(sim, 'BUY', 1), ['59999:0.5']);
  // The price drops: the market maker's new asks (from 59993) cross the resting bid and trade at its price.
  sim.market.pin('BTCUSDT', new Big('59990'));
  sim.exchange.repin('BTCUSDT', T0);
  t.equal(bid.status, 'FILLED');
  t.ok(
    bidder.trades.every((x) => x.price.eq(59999) && x.isMaker),
    'filled as maker at its own price',
  );
  t.not(levels(sim, 'BUY', 1)[0]?.split(':')[0], '59999', 'the level is gone');
  t.equal(bidder.balances.lockedOf('USDT').toString(), '0');
  t.equal(bidder.balances.freeOf('BTC').toString(), '0.4995', '0.5 minus the 0.1 % fee in BTC');
});

t.test('a resting order bigger than the crossing liquidity fills over several ticks', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const account = sim.createAccount({ USDT: '5000000' });
  const { order } = place(sim, account, T0, limit('BUY', '60', '59000'));
  sim.market.pin('BTCUSDT', new Big('58000'));
  const seen: string[] = [];
  const filled = () => order.status === 'FILLED';
  for (let i = 1; i <= 10 && !filled(); i++) {
    sim.exchange.tick(T0 + i * TICK);
    seen.push(`${order.status}:${order.executedQty}`);
    if (!filled()) t.same(levels(sim, 'BUY', 1), [`59000:${order.origQty.minus(order.executedQty)}`], 'the book shows what is left');
  }
  t.equal(order.status, 'FILLED');
  t.ok(seen.length > 1 && seen[0]?.startsWith('PARTIALLY_FILLED'), `fills: ${seen.join(', ')}`);
  t.ok(account.trades.every((x) => x.price.eq(59000) && x.isMaker));
  t.equal(account.balances.lockedOf('USDT').toString(), '0');
});

t.test('STP NONE: a self-trade happens; reports come resting order first, then the taker, then the position', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const events = recordEvents(sim);
  const me = sim.createAccount({ USDT: '100000', BTC: '1' });
  const maker = place(sim, me, T0, limit('SELL', '0.5', '60001')).order;
  const taker = place(sim, me, T0, limit('BUY', '1', '60002', { selfTradePreventionMode: 'NONE' })).order;
  t.equal(maker.status, 'FILLED');
  t.same([taker.status, taker.executedQty.toString()], ['PARTIALLY_FILLED', '0.5']);
  const trades = me.trades.filter((x) => x.orderId === maker.orderId || x.orderId === taker.orderId);
  t.same(
    trades.map((x) => [x.orderId, x.isBuyer, x.isMaker]),
    [
      [maker.orderId, false, true],
      [taker.orderId, true, false],
    ],
  );
  t.equal(trades[0]?.id, trades[1]?.id, 'one trade, both sides');
  t.same(sequence(events(me)), [
    `NEW/NEW#${maker.orderId}`,
    'outboundAccountPosition',
    `NEW/NEW#${taker.orderId}`,
    `TRADE/FILLED#${maker.orderId}`,
    `TRADE/PARTIALLY_FILLED#${taker.orderId}`,
    'outboundAccountPosition',
  ]);
});

t.test('STP EXPIRE_TAKER: the taker expires in match with all it had; the resting order is untouched', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const events = recordEvents(sim);
  const me = sim.createAccount({ USDT: '100000', BTC: '1' });
  const maker = place(sim, me, T0, limit('SELL', '0.5', '60001')).order;
  const { order: taker, fills, prevented } = place(sim, me, T0, limit('BUY', '1', '60002', { selfTradePreventionMode: 'EXPIRE_TAKER' }));
  t.same([taker.status, taker.executedQty.toString(), taker.preventedQty.toString()], ['EXPIRED_IN_MATCH', '0', '1']);
  t.same(fills, []);
  t.same([maker.status, maker.preventedQty.toString()], ['NEW', '0']);
  t.match(prevented, [
    {
      takerOrderId: taker.orderId,
      makerOrderId: maker.orderId,
      selfTradePreventionMode: 'EXPIRE_TAKER',
      takerPreventedQuantity: new Big(1),
    },
  ]);
  t.notOk(prevented[0]?.makerPreventedQuantity, 'no maker quantity for EXPIRE_TAKER');
  t.equal(taker.preventedMatchId, prevented[0]?.preventedMatchId);
  t.equal(me.balances.lockedOf('USDT').toString(), '0', 'the taker’s lock went back');
  t.same(levels(sim, 'SELL', 1), ['60001:0.5']);
  const report = events(me).find((e) => e.x === 'TRADE_PREVENTION');
  t.match(report, {
    X: 'EXPIRED_IN_MATCH',
    i: taker.orderId,
    v: prevented[0]?.preventedMatchId,
    A: '1.00000000',
    B: '1.00000000',
    U: maker.orderId,
  });
});

t.test('STP EXPIRE_MAKER: the own resting order expires, the taker walks on to other liquidity', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const me = sim.createAccount({ USDT: '100000', BTC: '1' });
  const maker = place(sim, me, T0, limit('SELL', '0.5', '60001')).order;
  t.equal(me.balances.lockedOf('BTC').toString(), '0.5');
  // EXPIRE_MAKER is the default mode.
  const { order: taker, fills, prevented } = place(sim, me, T0, limit('BUY', '0.2', '60003'));
  t.same([maker.status, maker.preventedQty.toString()], ['EXPIRED_IN_MATCH', '0.5']);
  t.same([taker.status, taker.preventedQty.toString()], ['FILLED', '0']);
  t.ok(
    fills.every((f) => f.price.eq(60003)),
    'filled by the market maker',
  );
  t.match(prevented, [{ selfTradePreventionMode: 'EXPIRE_MAKER', makerPreventedQuantity: new Big('0.5') }]);
  t.equal(me.balances.lockedOf('BTC').toString(), '0', 'the maker’s BTC went back');
  t.equal(sim.exchange.book('BTCUSDT').best('SELL')?.price.toString(), '60003', 'the expired order left the book');
});

t.test('STP EXPIRE_BOTH: both orders expire in match', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const events = recordEvents(sim);
  const me = sim.createAccount({ USDT: '100000', BTC: '1' });
  const maker = place(sim, me, T0, limit('SELL', '0.5', '60001')).order;
  const taker = place(sim, me, T0, limit('BUY', '1', '60003', { selfTradePreventionMode: 'EXPIRE_BOTH' })).order;
  t.same(
    [maker, taker].map((o) => `${o.status} ${o.preventedQty} ${o.executedQty}`),
    ['EXPIRED_IN_MATCH 0.5 0', 'EXPIRED_IN_MATCH 1 0'],
  );
  t.same(sequence(events(me)).slice(2), [
    `NEW/NEW#${taker.orderId}`,
    `TRADE_PREVENTION/EXPIRED_IN_MATCH#${maker.orderId}`,
    `TRADE_PREVENTION/EXPIRED_IN_MATCH#${taker.orderId}`,
    'outboundAccountPosition',
  ]);
  t.same([me.balances.lockedOf('BTC').toString(), me.balances.lockedOf('USDT').toString()], ['0', '0']);
  t.equal(me.balances.freeOf('USDT').toString(), '100000');
});

t.test('STP DECREMENT: both lose the smaller quantity; the smaller order expires, the larger keeps trading', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const me = sim.createAccount({ USDT: '100000', BTC: '1' });
  const maker = place(sim, me, T0, limit('SELL', '0.5', '60001')).order;
  // Taker smaller (Binance's scenario G): the taker expires, the maker stays with less.
  const small = place(sim, me, T0, limit('BUY', '0.2', '60001', { selfTradePreventionMode: 'DECREMENT' }));
  t.same([small.order.status, small.order.preventedQty.toString()], ['EXPIRED_IN_MATCH', '0.2']);
  t.same([maker.status, maker.preventedQty.toString(), maker.executedQty.toString()], ['NEW', '0.2', '0']);
  t.equal(maker.preventedMatchId, small.prevented[0]?.preventedMatchId);
  t.same(levels(sim, 'SELL', 1), ['60001:0.3'], 'the resting order shows what it has left');
  t.equal(me.balances.lockedOf('BTC').toString(), '0.3', 'the prevented 0.2 BTC went back to free');
  // Maker smaller: the maker expires, the taker goes on to the market maker.
  const big = place(sim, me, T0, limit('BUY', '0.5', '60003', { selfTradePreventionMode: 'DECREMENT' }));
  t.same([maker.status, maker.preventedQty.toString()], ['EXPIRED_IN_MATCH', '0.5']);
  // Nothing left, but not all of it traded: expired in match, not FILLED.
  t.same([big.order.status, big.order.preventedQty.toString(), big.order.executedQty.toString()], ['EXPIRED_IN_MATCH', '0.3', '0.2']);
  t.match(big.prevented, [{ takerPreventedQuantity: new Big('0.3'), makerPreventedQuantity: new Big('0.3') }]);
  t.equal(me.balances.lockedOf('BTC').toString(), '0');
  t.equal(me.balances.lockedOf('USDT').toString(), '0');
});

t.test('STP never fires between different accounts', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const a = sim.createAccount({ BTC: '1' });
  const b = sim.createAccount({ USDT: '100000' });
  const maker = place(sim, a, T0, limit('SELL', '0.5', '60001')).order;
  const taker = place(sim, b, T0, limit('BUY', '0.5', '60001', { selfTradePreventionMode: 'EXPIRE_BOTH' })).order;
  t.same([maker.status, taker.status], ['FILLED', 'FILLED']);
});

t.test('amend keep priority: a smaller order keeps its place in the queue and gives back its funds', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const events = recordEvents(sim);
  const a = sim.createAccount({ BTC: '1' });
  const b = sim.createAccount({ BTC: '1' });
  const buyer = sim.createAccount({ USDT: '100000' });
  const first = place(sim, a, T0, limit('SELL', '0.5', '60001', { newClientOrderId: 'a-1' })).order;
  const second = place(sim, b, T0, limit('SELL', '0.5', '60001')).order;
  const amended = sim.exchange.amend(a, 'BTCUSDT', { orderId: first.orderId }, new Big('0.2'), 'a-2', T0);
  t.same([first.origQty.toString(), first.clientOrderId, amended.origClientOrderId], ['0.2', 'a-2', 'a-1']);
  t.equal(a.balances.lockedOf('BTC').toString(), '0.2');
  t.same(levels(sim, 'SELL', 1), ['60001:0.7']);
  t.match(events(a).at(-2), { e: 'executionReport', x: 'REPLACED', X: 'NEW', q: '0.20000000', c: 'a-2', C: 'a-1', I: amended.executionId });
  place(sim, buyer, T0, limit('BUY', '0.3', '60001', { timeInForce: 'IOC' }));
  t.same([first.executedQty.toString(), second.executedQty.toString()], ['0.2', '0.1'], 'the amended order still filled first');
  t.throws(() => sim.exchange.amend(b, 'BTCUSDT', { orderId: second.orderId }, new Big('0.6'), undefined, T0), {
    code: -2038,
    message: 'Order amend (quantity increase) is not supported.',
  });
  t.throws(() => sim.exchange.amend(b, 'BTCUSDT', { orderId: second.orderId }, new Big('0.5'), undefined, T0), { code: -2038 });
  t.throws(() => sim.exchange.amend(b, 'BTCUSDT', { orderId: second.orderId }, new Big('0.1'), undefined, T0), { code: -2038 });
});

t.test('IOC and FOK against users’ orders and the market maker', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  const seller = sim.createAccount({ BTC: '1' });
  const buyer = sim.createAccount({ USDT: '1000000' });
  place(sim, seller, T0, limit('SELL', '0.2', '60001'));
  const fok = place(sim, buyer, T0, limit('BUY', '0.5', '60001', { timeInForce: 'FOK' }));
  t.same([fok.order.status, fok.order.executedQty.toString(), fok.order.expiryReason], ['EXPIRED', '0', 'UNFILLED_FOK_ORDER_EXPIRED']);
  t.same(levels(sim, 'SELL', 1), ['60001:0.2'], 'a killed FOK takes nothing');
  const ioc = place(sim, buyer, T0, limit('BUY', '0.5', '60001', { timeInForce: 'IOC' }));
  t.same([ioc.order.status, ioc.order.executedQty.toString(), ioc.order.expiryReason], ['EXPIRED', '0.2', 'UNFILLED_IOC_QUANTITY_EXPIRED']);
  t.equal(buyer.balances.lockedOf('USDT').toString(), '0');
});
