// One test per Binance filter Blotter checks before an order leaves it (issue 18, defects 5 and 6).
import type { SymbolInfo } from '@blotter/schemas';
import t from 'tap';
import { checkFilters, checkMaxPosition, checkOpenOrders, type FilterInput, isAlgoOrder, normalizeOrderDecimals } from '../src/index.ts';
import { BTCUSDT } from './fixtures.ts';

const order = (o: Partial<FilterInput>): FilterInput => ({
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.001',
  price: '60000',
  stopPrice: null,
  ...o,
});
const market = (quantity: string, side: 'BUY' | 'SELL' = 'BUY'): FilterInput => order({ type: 'MARKET', side, quantity, price: null });

t.test('precision: more decimals than the venue keeps fail LOT_SIZE / PRICE_FILTER, trailing zeros do not count', async (t) => {
  const loose: SymbolInfo = {
    ...BTCUSDT,
    stepSize: '0',
    minQty: '0',
    tickSize: '0',
    minNotional: '0',
    baseAssetPrecision: 8,
    quoteAssetPrecision: 8,
  };
  t.equal(checkFilters(loose, order({ quantity: '0.001000000000' }), null), null, '"0.001000000000" is 0.001: three decimals');
  t.equal(checkFilters(loose, order({ quantity: '0.00000001' }), null), null, 'eight decimals are fine');
  t.same(checkFilters(loose, order({ quantity: '0.000000011' }), null), {
    filter: 'LOT_SIZE',
    field: 'quantity',
    reason: 'quantity 0.000000011 has 9 decimals; BTCUSDT takes at most 8',
  });
  t.same(checkFilters(loose, order({ price: '60000.123456789' }), null), {
    filter: 'PRICE_FILTER',
    field: 'price',
    reason: 'price 60000.123456789 has 9 decimals; BTCUSDT takes at most 8',
  });
  t.match(checkFilters(loose, order({ type: 'STOP_LOSS_LIMIT', stopPrice: '59000.0000000001' }), null), {
    filter: 'PRICE_FILTER',
    field: 'stopPrice',
  });
  t.match(
    checkFilters(BTCUSDT, order({ quantity: '0.000010001' }), null),
    { filter: 'LOT_SIZE', reason: /step size/ },
    'no precision listed: the grid still rules',
  );
});

t.test('LOT_SIZE: minimum, maximum and step from the minimum', async (t) => {
  t.match(checkFilters(BTCUSDT, order({ quantity: '0.000001' }), null), {
    filter: 'LOT_SIZE',
    reason: 'quantity 0.000001 is below the minimum 0.00001',
  });
  t.match(checkFilters(BTCUSDT, order({ quantity: '9000.00001', price: '1' }), null), {
    filter: 'LOT_SIZE',
    reason: /above the maximum 9000$/,
  });
  t.match(checkFilters(BTCUSDT, order({ quantity: '0.000015' }), null), { filter: 'LOT_SIZE', reason: /multiple of the step size/ });
});

t.test('MARKET_LOT_SIZE: applies to MARKET orders only, on top of LOT_SIZE; a step of 0 sets no grid', async (t) => {
  const info: SymbolInfo = { ...BTCUSDT, marketLotSize: { minQty: '0.001', maxQty: '120', stepSize: '0' } };
  t.equal(checkFilters(info, market('120'), '60000'), null, 'at the maximum');
  t.same(checkFilters(info, market('120.00001'), '60000'), {
    filter: 'MARKET_LOT_SIZE',
    field: 'quantity',
    reason: 'quantity 120.00001 is above the maximum 120 for a MARKET order',
  });
  t.match(checkFilters(info, market('0.0009'), '60000'), {
    filter: 'MARKET_LOT_SIZE',
    reason: /below the minimum 0.001 for a MARKET order/,
  });
  t.equal(checkFilters(info, order({ quantity: '200', price: '1' }), null), null, 'a LIMIT order is not bound by it');
  t.match(checkFilters(info, market('0.000015'), '60000'), { filter: 'LOT_SIZE' }, 'LOT_SIZE still applies to MARKET');
  const stepped: SymbolInfo = { ...BTCUSDT, marketLotSize: { minQty: '0.001', maxQty: '120', stepSize: '0.001' } };
  t.match(checkFilters(stepped, market('0.0015'), '60000'), { filter: 'MARKET_LOT_SIZE', reason: /multiple of the step size 0.001/ });
});

t.test('NOTIONAL: minimum and maximum, each for MARKET orders only as applyMinToMarket / applyMaxToMarket say', async (t) => {
  const info: SymbolInfo = { ...BTCUSDT, minNotional: '5', maxNotional: '1000', applyMinToMarket: true, applyMaxToMarket: false };
  t.equal(checkFilters(info, order({ quantity: '0.0001', price: '50000' }), null), null, 'exactly the minimum');
  t.same(checkFilters(info, order({ quantity: '0.0001', price: '49999.99' }), null), {
    filter: 'NOTIONAL',
    field: 'notional',
    reason: 'order value 4.999999 is below the minimum 5',
  });
  t.same(checkFilters(info, order({ quantity: '0.02', price: '50000.01' }), null), {
    filter: 'NOTIONAL',
    field: 'notional',
    reason: 'order value 1000.0002 is above the maximum 1000',
  });
  t.match(checkFilters(info, order({ type: 'STOP_LOSS_LIMIT', quantity: '0.02', price: '50001', stopPrice: '50000' }), null), {
    filter: 'NOTIONAL',
  });
  t.same(
    checkFilters(info, market('0.00005'), '60000'),
    { filter: 'NOTIONAL', field: 'notional', reason: 'estimated value 3 (at the market price 60000) is below the minimum 5' },
    'a MARKET order is valued at the mark price (the venue uses its average price)',
  );
  t.equal(checkFilters(info, market('1'), '60000'), null, 'applyMaxToMarket false: no maximum for MARKET');
  t.equal(checkFilters(info, market('0.00005'), null), null, 'no mark price: a MARKET order cannot be valued here');
  const both: SymbolInfo = { ...info, applyMinToMarket: false, applyMaxToMarket: true };
  t.equal(checkFilters(both, market('0.00005'), '60000'), null, 'applyMinToMarket false: no minimum for MARKET');
  t.match(checkFilters(both, market('1'), '60000'), {
    filter: 'NOTIONAL',
    reason: /60000 \(at the market price 60000\) is above the maximum 1000/,
  });
  t.match(checkFilters(BTCUSDT, market('0.00005'), '60000'), { filter: 'NOTIONAL' }, 'not listed: the minimum applies to MARKET');
  t.equal(checkFilters(BTCUSDT, order({ quantity: '100', price: '1000000' }), null), null, 'no maximum listed: none checked');
});

t.test('PERCENT_PRICE (one band for both sides) around the mark price', async (t) => {
  const info: SymbolInfo = { ...BTCUSDT, percentPriceBand: { up: '1.3', down: '0.7' } };
  t.equal(checkFilters(info, order({ price: '78000' }), '60000'), null);
  t.same(checkFilters(info, order({ price: '78000.01' }), '60000'), {
    filter: 'PERCENT_PRICE',
    field: 'price',
    reason: 'price 78000.01 is more than 1.3× the market price 60000: a BUY may be at most 78000',
  });
  t.match(checkFilters(info, order({ side: 'SELL', price: '41999.99' }), '60000'), { filter: 'PERCENT_PRICE', reason: /at least 42000$/ });
  const both: SymbolInfo = { ...info, percentPrice: { bidUp: '5', bidDown: '0.2', askUp: '5', askDown: '0.2' } };
  t.match(checkFilters(both, order({ price: '80000' }), '60000'), { filter: 'PERCENT_PRICE' }, 'both listed: both hold');
  t.match(checkFilters(both, order({ price: '300001' }), '60000'), { filter: 'PERCENT_PRICE_BY_SIDE' });
});

t.test('MAX_NUM_ORDERS / MAX_NUM_ALGO_ORDERS and the exchange-wide limits, from the counts given', async (t) => {
  const info: SymbolInfo = {
    ...BTCUSDT,
    maxNumOrders: 200,
    maxNumAlgoOrders: 5,
    exchangeMaxNumOrders: 1000,
    exchangeMaxNumAlgoOrders: 200,
  };
  const counts = { onSymbol: 0, algoOnSymbol: 0, onVenue: 0, algoOnVenue: 0 };
  t.ok(isAlgoOrder('STOP_LOSS_LIMIT') && isAlgoOrder('TAKE_PROFIT_LIMIT') && !isAlgoOrder('LIMIT') && !isAlgoOrder('MARKET'));
  t.equal(checkOpenOrders(info, 'LIMIT', { ...counts, onSymbol: 199 }), null, 'the 200th order fits');
  t.same(checkOpenOrders(info, 'LIMIT', { ...counts, onSymbol: 200 }), {
    filter: 'MAX_NUM_ORDERS',
    field: null,
    reason: '200 orders on BTCUSDT are open; the venue allows 200',
  });
  t.equal(checkOpenOrders(info, 'STOP_LOSS_LIMIT', { ...counts, onSymbol: 4, algoOnSymbol: 4 }), null, 'the 5th stop order fits');
  t.same(checkOpenOrders(info, 'STOP_LOSS_LIMIT', { ...counts, onSymbol: 5, algoOnSymbol: 5 }), {
    filter: 'MAX_NUM_ALGO_ORDERS',
    field: null,
    reason: '5 stop orders on BTCUSDT are open; the venue allows 5',
  });
  t.equal(checkOpenOrders(info, 'LIMIT', { ...counts, onSymbol: 5, algoOnSymbol: 5 }), null, 'stop orders do not limit other orders');
  t.match(checkOpenOrders(info, 'MARKET', { ...counts, onVenue: 1000 }), { filter: 'EXCHANGE_MAX_NUM_ORDERS' });
  t.match(checkOpenOrders(info, 'TAKE_PROFIT_LIMIT', { ...counts, algoOnVenue: 200 }), { filter: 'EXCHANGE_MAX_NUM_ALGO_ORDERS' });
  t.equal(
    checkOpenOrders(BTCUSDT, 'STOP_LOSS_LIMIT', { onSymbol: 10_000, algoOnSymbol: 10_000, onVenue: 10_000, algoOnVenue: 10_000 }),
    null,
    'none listed: no limit',
  );
});

t.test('MAX_POSITION: base held plus open BUYs plus this BUY', async (t) => {
  const info: SymbolInfo = { ...BTCUSDT, maxPosition: '10' };
  t.equal(checkMaxPosition(info, { side: 'BUY', quantity: '2' }, { base: '5', openBuyQuantity: '3' }), null, 'exactly at the maximum');
  t.same(checkMaxPosition(info, { side: 'BUY', quantity: '2.00001' }, { base: '5', openBuyQuantity: '3' }), {
    filter: 'MAX_POSITION',
    field: 'quantity',
    reason: 'buying 2.00001 would make the BTC position 10.00001; the venue allows at most 10',
  });
  t.equal(checkMaxPosition(info, { side: 'SELL', quantity: '50' }, { base: '50', openBuyQuantity: '0' }), null, 'a SELL is not limited');
  t.equal(checkMaxPosition(BTCUSDT, { side: 'BUY', quantity: '50' }, { base: '50', openBuyQuantity: '0' }), null, 'not listed');
});

t.test('normalizeOrderDecimals: the shortest exact form of each decimal, nothing rounded', async (t) => {
  t.same(normalizeOrderDecimals({ quantity: '0.001000000000', price: '064000.50', stopPrice: null, symbol: 'BTCUSDT' }), {
    quantity: '0.001',
    price: '64000.5',
    stopPrice: null,
    symbol: 'BTCUSDT',
  });
  t.same(normalizeOrderDecimals({ quantity: '10', price: null, stopPrice: '1.000000000000000001' }), {
    quantity: '10',
    price: null,
    stopPrice: '1.000000000000000001',
  });
  t.equal(
    normalizeOrderDecimals({ quantity: '0.000000000000000001', price: null, stopPrice: null }).quantity,
    '0.000000000000000001',
    'never "1e-18"',
  );
});
