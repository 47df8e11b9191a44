// Conditional orders: STOP_LOSS_LIMIT / TAKE_PROFIT_LIMIT / STOP_LOSS rest untriggered until the
// last price crosses the stop, then work as limit (or market) orders.
import t from 'tap';
import { balanceOf, binanceError, clientFor, spotType, withSim } from './fixtures/sim.ts';

const d = (s: string) => s as unknown as number;

t.test('a stop whose price is already crossed is rejected', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '10000', BTC: '1' }));
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const immediately = { code: -2010, msg: 'Order would trigger immediately.' };
  t.same(
    await binanceError(
      client.order(spotType('STOP_LOSS_LIMIT'), 'SELL', 'BTCUSDT', d('0.01'), d('60900.00'), { stopPrice: d('61000.00') }),
    ),
    immediately,
  );
  t.same(
    await binanceError(client.order(spotType('STOP_LOSS_LIMIT'), 'BUY', 'BTCUSDT', d('0.01'), d('59100.00'), { stopPrice: d('59000.00') })),
    immediately,
  );
  t.same(
    await binanceError(
      client.order(spotType('TAKE_PROFIT_LIMIT'), 'SELL', 'BTCUSDT', d('0.01'), d('59000.00'), { stopPrice: d('59500.00') }),
    ),
    immediately,
  );
  t.same(await client.openOrders(), []);
});

t.test('STOP_LOSS_LIMIT sell rests untriggered, then fires and fills when the price falls', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ BTC: '1' }));
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const res = await client.order(spotType('STOP_LOSS_LIMIT'), 'SELL', 'BTCUSDT', d('0.1'), d('58900.00'), {
    stopPrice: d('59000.00'),
    newOrderRespType: 'RESULT',
  });
  t.match(res, { status: 'NEW', type: 'STOP_LOSS_LIMIT', stopPrice: '59000.00000000', price: '58900.00000000' });
  t.match(await client.orderStatus('BTCUSDT', res.orderId), { isWorking: false, workingTime: -1 });
  t.same(await balanceOf(client, 'BTC'), { free: '0.90000000', locked: '0.10000000' });
  await sim.admin.pinPrice('BTCUSDT', '59500.00');
  t.match(await client.orderStatus('BTCUSDT', res.orderId), { status: 'NEW', isWorking: false }, 'not yet');
  await sim.admin.pinPrice('BTCUSDT', '58950.00');
  const fired = await client.orderStatus('BTCUSDT', res.orderId);
  t.match(fired, { status: 'FILLED', isWorking: true, executedQty: '0.10000000' });
  t.ok(fired.workingTime > 0);
  const trades = await client.myTrades('BTCUSDT', { orderId: res.orderId });
  t.ok(
    trades.every((x: { price: string }) => Number(x.price) >= 58900),
    'never below the limit',
  );
  t.same(await balanceOf(client, 'BTC'), { free: '0.90000000', locked: '0.00000000' });
});

t.test('TAKE_PROFIT (market) buy fires on the way down and is charged at trigger time', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '1000' }));
  await sim.admin.pinPrice('ETHUSDT', '3000.00');
  const res = await client.order(spotType('TAKE_PROFIT'), 'BUY', 'ETHUSDT', d('0.1'), 0, { stopPrice: d('2900.00') });
  t.same(
    Object.keys(res).sort(),
    ['clientOrderId', 'orderId', 'orderListId', 'symbol', 'transactTime'],
    'ACK is the default for stop types',
  );
  t.same(await balanceOf(client, 'USDT'), { free: '1000.00000000', locked: '0.00000000' }, 'nothing locked before the trigger');
  await sim.admin.pinPrice('ETHUSDT', '2890.00');
  const fired = await client.orderStatus('ETHUSDT', res.orderId);
  t.match(fired, { status: 'FILLED', executedQty: '0.10000000' });
  t.ok(Number(fired.cummulativeQuoteQty) < 290);
});
