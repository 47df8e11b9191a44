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
      feeQuoteRate: '60000',
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

t.test('PERCENT_PRICE_BY_SIDE: a limit price too far from the mark price is refused, per side', async (t) => {
  const banded = { ...BTCUSDT, percentPrice: { bidUp: '5', bidDown: '0.2', askUp: '4', askDown: '0.5' } };
  const limit = (side: 'BUY' | 'SELL', price: string) => ({ side, type: 'LIMIT', quantity: '0.001', price, stopPrice: null });
  t.equal(checkFilters(banded, limit('BUY', '300000'), '60000'), null, 'exactly 5× is still in the band');
  t.same(checkFilters(banded, limit('BUY', '300000.01'), '60000'), {
    filter: 'PERCENT_PRICE_BY_SIDE',
    field: 'price',
    reason: 'price 300000.01 is more than 5× the market price 60000: a BUY may be at most 300000',
  });
  t.match(checkFilters(banded, limit('BUY', '11999.99'), '60000'), { filter: 'PERCENT_PRICE_BY_SIDE', reason: /at least 12000$/ });
  t.equal(checkFilters(banded, limit('SELL', '240000'), '60000'), null);
  t.match(checkFilters(banded, limit('SELL', '240000.01'), '60000'), { reason: /a SELL may be at most 240000$/ });
  t.match(checkFilters(banded, limit('SELL', '29999.99'), '60000'), { reason: /a SELL must be at least 30000$/ });
  t.equal(checkFilters(banded, limit('BUY', '1000000'), null), null, 'no mark price: not checked here (the venue still is)');
  t.equal(checkFilters(BTCUSDT, limit('BUY', '1000000'), '60000'), null, 'no band on the symbol: not checked');
  t.equal(
    checkFilters(banded, { side: 'BUY', type: 'STOP_LOSS', quantity: '0.001', price: null, stopPrice: '900000' }, '60000'),
    null,
    'a stop price is not banded',
  );
});

t.test('filters follow Binance: grid from the minimum, notional at the mark for MARKET', async (t) => {
  t.ok(onGrid('60000.01', '0.01', '0.01'));
  t.notOk(onGrid('60000.015', '0.01', '0.01'));
  t.equal(str(floorToStep('0.123456', '0.00001')), '0.12345');
  t.equal(checkFilters(BTCUSDT, { side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '60000', stopPrice: null }, null), null);
  t.match(checkFilters(BTCUSDT, { side: 'BUY', type: 'MARKET', quantity: '0.00005', price: null, stopPrice: null }, '60000'), {
    filter: 'NOTIONAL',
  });
  t.match(checkFilters(BTCUSDT, { side: 'BUY', type: 'LIMIT', quantity: '10000', price: '1', stopPrice: null }, null), {
    filter: 'LOT_SIZE',
    field: 'quantity',
  });
  t.match(checkFilters(BTCUSDT, { side: 'BUY', type: 'STOP_LOSS_LIMIT', quantity: '0.01', price: '60000', stopPrice: '0.001' }, null), {
    field: 'stopPrice',
  });
});

t.test('PRICE_FILTER: Binance disables minPrice, maxPrice and tickSize when they are "0"', async (t) => {
  const limit = (price: string) => ({ side: 'BUY' as const, type: 'LIMIT', quantity: '0.001', price, stopPrice: null });
  const stop = (stopPrice: string) => ({ side: 'SELL' as const, type: 'STOP_LOSS_LIMIT', quantity: '0.001', price: '60000', stopPrice });
  const noMax = { ...BTCUSDT, maxPrice: '0' };
  t.equal(checkFilters(noMax, limit('60000'), null), null, 'maxPrice 0: no upper bound (it used to reject every price)');
  t.equal(checkFilters(noMax, limit('99999999'), null), null);
  t.equal(checkFilters(noMax, stop('2000000'), null), null, 'also for the stop price');
  t.match(checkFilters(noMax, limit('0.001'), null), { filter: 'PRICE_FILTER', reason: /below the minimum 0.01/ }, 'minPrice still holds');
  const noMin = { ...BTCUSDT, minPrice: '0' };
  t.equal(checkFilters(noMin, limit('60000.01'), null), null, 'minPrice 0: no lower bound, the grid counts from 0');
  t.match(checkFilters(noMin, limit('60000.015'), null), { filter: 'PRICE_FILTER', reason: /multiple of the tick size 0.01/ });
  t.match(checkFilters(noMin, limit('2000000'), null), { filter: 'PRICE_FILTER', reason: /above the maximum 1000000/ });
  const noTick = { ...BTCUSDT, tickSize: '0' };
  t.equal(checkFilters(noTick, limit('60000.123456'), null), null, 'tickSize 0: any price within the bounds');
  const allOff = { ...BTCUSDT, minPrice: '0', maxPrice: '0', tickSize: '0' };
  t.equal(checkFilters(allOff, stop('0.00000001'), null), null, 'all three off: the filter passes everything');
});
