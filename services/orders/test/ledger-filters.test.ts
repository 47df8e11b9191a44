import t from 'tap';
import { balanceEffects, checkFilters, floorToStep, netEffects, onGrid, str } from '../src/index.ts';
import { BTCUSDT } from './fixtures.ts';

t.test('a BUY fill unlocks its reservation share, pays quote, receives base net of the base fee', async (t) => {
  const effects = balanceEffects({
    type: 'OrderFilled',
    data: {
      orderId: '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a',
      tradeId: '1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      price: '60000',
      quantity: '0.01',
      quoteQuantity: '600',
      fee: '0.00001',
      feeAsset: 'BTC',
      cumulativeQuantity: '0.01',
      released: { asset: 'USDT', amount: '600.6' },
      filledAt: '2026-11-24T12:00:00.000Z',
    },
  });
  t.same(Object.fromEntries(netEffects(effects)), {
    USDT: { free: '0.6', locked: '-600.6' },
    BTC: { free: '0.00999', locked: '0' },
  });
});

t.test('placing locks, canceling unlocks, opening deposits', async (t) => {
  t.same(
    balanceEffects({
      type: 'AccountOpened',
      data: {
        userId: '0192f4a7-0000-7000-8000-000000000001',
        email: 'a@b.co',
        venue: 'paper',
        deposits: [{ asset: 'USDT', amount: '10000' }],
      },
    }),
    [{ asset: 'USDT', free: '10000', locked: '0' }],
  );
  t.same(
    balanceEffects({
      type: 'OrderCanceled',
      data: { orderId: '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a', reason: 'x', released: { asset: 'BTC', amount: '0.5' } },
    }),
    [{ asset: 'BTC', free: '0.5', locked: '-0.5' }],
  );
});

t.test('filters follow Binance: grid from the minimum, notional at the mark for MARKET', async (t) => {
  t.ok(onGrid('60000.01', '0.01', '0.01'));
  t.notOk(onGrid('60000.015', '0.01', '0.01'));
  t.equal(str(floorToStep('0.123456', '0.00001')), '0.12345');
  t.equal(checkFilters(BTCUSDT, { type: 'LIMIT', quantity: '0.001', price: '60000', stopPrice: null }, null), null);
  t.match(checkFilters(BTCUSDT, { type: 'MARKET', quantity: '0.00005', price: null, stopPrice: null }, '60000'), { filter: 'NOTIONAL' });
  t.match(checkFilters(BTCUSDT, { type: 'LIMIT', quantity: '10000', price: '1', stopPrice: null }, null), {
    filter: 'LOT_SIZE',
    field: 'quantity',
  });
  t.match(checkFilters(BTCUSDT, { type: 'STOP_LOSS_LIMIT', quantity: '0.01', price: '60000', stopPrice: '0.001' }, null), {
    field: 'stopPrice',
  });
});
