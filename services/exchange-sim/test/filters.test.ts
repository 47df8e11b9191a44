// Every filter exchangeInfo serves is enforced, one test each (filters.md): the failure is -1013
// "Filter failure: <NAME>", the value that just passes passes, and PRICE_FILTER's fields switch off
// at 0. Instances override filter values (as a test here, or a venue configuration would).
import t from 'tap';
import { filtersOf } from '../src/api/exchange-info.ts';
import { parseNewOrder } from '../src/api/order-request.ts';
import type { SimConfig } from '../src/config.ts';
import { Big } from '../src/decimal.ts';
import type { Account } from '../src/engine/accounts.ts';
import { Params } from '../src/params.ts';
import type { Simulator } from '../src/simulator.ts';
import { engineSim, pinnedBtc, place, T0 } from './fixtures/engine.ts';

const rich = { USDT: '100000000', BTC: '10000', ETH: '100000', SOL: '1000000', BNB: '1000000' };

function setup(filters: SimConfig['filters'] = {}) {
  // A thousand orders in one instant: the unfilled-order-count limit is raised out of the way.
  const sim = engineSim({ filters, limits: { ordersPer10s: 10_000 } });
  pinnedBtc(sim);
  return { sim, account: sim.createAccount(rich) };
}

const order = (over: Record<string, string>) => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.01',
  price: '60000',
  ...over,
});

/** The filter an order fails, or "ok". */
function verdict(sim: Simulator, account: Account, params: Record<string, string>): string {
  try {
    sim.exchange.validate(account, parseNewOrder(Params.fromObject(params), sim.market), T0);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message.replace('Filter failure: ', '') : String(err);
  }
}

t.test('PRICE_FILTER: minPrice, maxPrice and tickSize, on price and stopPrice; each off at 0', async (t) => {
  const strict = setup({ BTCUSDT: { price: { minPrice: '50000', maxPrice: '100000' } } });
  const v = (o: Record<string, string>) => verdict(strict.sim, strict.account, order(o));
  t.same(
    [v({ price: '49999.99' }), v({ price: '50000' }), v({ price: '100000' }), v({ price: '100000.01' })],
    ['PRICE_FILTER', 'ok', 'ok', 'PRICE_FILTER'],
  );
  t.same([v({ price: '60000.001' }), v({ price: '60000.01' })], ['PRICE_FILTER', 'ok'], 'off the 0.01 tick');
  t.equal(v({ type: 'STOP_LOSS_LIMIT', price: '60000', stopPrice: '100000.01' }), 'PRICE_FILTER', 'stopPrice too');
  const off = setup({ BTCUSDT: { price: { minPrice: '0', maxPrice: '0', tickSize: '0' } } });
  const w = (o: Record<string, string>) => verdict(off.sim, off.account, order(o));
  t.same(
    [w({ price: '49999.99' }), w({ price: '100000.01' }), w({ price: '60000.001' })],
    ['ok', 'ok', 'ok'],
    'minPrice, maxPrice, tickSize all 0: no rule',
  );
  t.match(filtersOf(off.sim.market.spec('BTCUSDT'))[0], {
    filterType: 'PRICE_FILTER',
    minPrice: '0.00000000',
    maxPrice: '0.00000000',
    tickSize: '0.00000000',
  });
});

t.test('PERCENT_PRICE_BY_SIDE: bids and asks have their own band around the average price', async (t) => {
  const { sim, account } = setup({
    BTCUSDT: { percentPriceBySide: { bidMultiplierUp: '1.1', bidMultiplierDown: '0.9', askMultiplierUp: '1.5', askMultiplierDown: '0.5' } },
  });
  const v = (side: string, price: string) => verdict(sim, account, order({ side, price }));
  // Pinned at 60000: bids within [54000, 66000], asks within [30000, 90000].
  t.same(
    [v('BUY', '66000'), v('BUY', '66000.01'), v('BUY', '54000'), v('BUY', '53999.99')],
    ['ok', 'PERCENT_PRICE_BY_SIDE', 'ok', 'PERCENT_PRICE_BY_SIDE'],
  );
  t.same(
    [v('SELL', '90000'), v('SELL', '90000.01'), v('SELL', '30000'), v('SELL', '29999.99')],
    ['ok', 'PERCENT_PRICE_BY_SIDE', 'ok', 'PERCENT_PRICE_BY_SIDE'],
  );
});

t.test('PERCENT_PRICE_BY_SIDE: the band is centred on the avgPriceMins-minute average (the /avgPrice number)', async (t) => {
  const sim = engineSim({ filters: { ETHUSDT: { percentPriceBySide: { bidMultiplierUp: '1.01', bidMultiplierDown: '0.99' } } } });
  const account = sim.createAccount(rich);
  const avg = sim.market.avgPrice('ETHUSDT', 5, T0);
  t.not(avg.toString(), sim.market.price('ETHUSDT', T0).toString(), 'the 5-minute average is not the last price');
  const edge = avg.times('1.01').round(2, Big.roundDown);
  const v = (price: Big) => verdict(sim, account, order({ symbol: 'ETHUSDT', quantity: '1', price: price.toFixed(2) }));
  t.same([v(edge), v(edge.plus('0.01'))], ['ok', 'PERCENT_PRICE_BY_SIDE']);
});

t.test('LOT_SIZE: minQty, maxQty and stepSize', async (t) => {
  // NOTIONAL out of the way, so quantities alone decide.
  const { sim, account } = setup({ BTCUSDT: { notional: { minNotional: '0', maxNotional: '10000000000' } } });
  const v = (quantity: string) => verdict(sim, account, order({ quantity }));
  t.same([v('0.000009'), v('0.00001'), v('9000'), v('9000.00001')], ['LOT_SIZE', 'ok', 'ok', 'LOT_SIZE'], 'minQty 0.00001, maxQty 9000');
  t.same([v('0.010005'), v('0.01001')], ['LOT_SIZE', 'ok'], 'stepSize 0.00001');
});

t.test('MARKET_LOT_SIZE: MARKET orders (and stop-markets) have their own maximum', async (t) => {
  const { sim, account } = setup();
  const market = (quantity: string, type = 'MARKET') =>
    verdict(sim, account, { symbol: 'BTCUSDT', side: 'SELL', type, quantity, ...(type === 'MARKET' ? {} : { stopPrice: '50000' }) });
  t.same([market('120'), market('120.00001'), market('121', 'STOP_LOSS')], ['ok', 'MARKET_LOT_SIZE', 'MARKET_LOT_SIZE']);
  t.equal(
    verdict(sim, account, order({ side: 'SELL', quantity: '121', price: '60000' })),
    'ok',
    'a LIMIT order of the same size is not a MARKET order',
  );
});

t.test('NOTIONAL: min and max for limits; MARKET orders per applyMinToMarket / applyMaxToMarket, at the average price', async (t) => {
  const base = setup({ BTCUSDT: { notional: { maxNotional: '1000' } } });
  const v = (o: Record<string, string>) => verdict(base.sim, base.account, o);
  t.same([v(order({ quantity: '0.00008' })), v(order({ quantity: '0.00009' }))], ['NOTIONAL', 'ok'], 'min 5: 0.00008 × 60000 = 4.8');
  t.same([v(order({ quantity: '0.01667' })), v(order({ quantity: '0.01666' }))], ['NOTIONAL', 'ok'], 'max 1000');
  const market = (quantity: string) => ({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity });
  t.same([v(market('0.00008')), v(market('0.02'))], ['NOTIONAL', 'ok'], 'applyMinToMarket true, applyMaxToMarket false');
  t.equal(v({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '4.99' }), 'NOTIONAL', 'quoteOrderQty is the notional');
  const flipped = setup({ BTCUSDT: { notional: { maxNotional: '1000', applyMinToMarket: false, applyMaxToMarket: true } } });
  const w = (o: Record<string, string>) => verdict(flipped.sim, flipped.account, o);
  t.same([w(market('0.00008')), w(market('0.02'))], ['ok', 'NOTIONAL']);
});

t.test('MAX_NUM_ORDERS and MAX_NUM_ALGO_ORDERS: open orders per symbol', async (t) => {
  const { sim, account } = setup({ BTCUSDT: { maxNumOrders: 3, maxNumAlgoOrders: 1 } });
  place(sim, account, T0, order({ price: '59000' }));
  place(sim, account, T0, {
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'STOP_LOSS_LIMIT',
    timeInForce: 'GTC',
    quantity: '0.01',
    price: '50000',
    stopPrice: '50001',
  });
  t.equal(
    verdict(sim, account, { symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_LOSS', quantity: '0.01', stopPrice: '50002' }),
    'MAX_NUM_ALGO_ORDERS',
  );
  place(sim, account, T0, order({ price: '59001' }));
  t.equal(verdict(sim, account, order({ price: '59002' })), 'MAX_NUM_ORDERS', 'stop orders count as orders too');
  t.equal(verdict(sim, account, order({ symbol: 'ETHUSDT', quantity: '1', price: '3000' })), 'ok', 'per symbol');
});

t.test('MAX_NUM_ORDER_AMENDS: amends per order', async (t) => {
  const { sim, account } = setup({ BTCUSDT: { maxNumOrderAmends: 2 } });
  const { order: o } = place(sim, account, T0, order({ quantity: '0.05', price: '59000' }));
  sim.exchange.amend(account, 'BTCUSDT', { orderId: o.orderId }, new Big('0.04'), undefined, T0);
  sim.exchange.amend(account, 'BTCUSDT', { orderId: o.orderId }, new Big('0.03'), undefined, T0);
  t.throws(() => sim.exchange.amend(account, 'BTCUSDT', { orderId: o.orderId }, new Big('0.02'), undefined, T0), {
    code: -1013,
    message: 'Filter failure: MAX_NUM_ORDER_AMENDS',
  });
  t.throws(
    () => sim.exchange.amend(account, 'BTCUSDT', { orderId: o.orderId }, new Big('0.000001'), undefined, T0),
    { code: -1013, message: 'Filter failure: LOT_SIZE' },
    'the new quantity meets LOT_SIZE',
  );
});

t.test('EXCHANGE_MAX_NUM_ORDERS and EXCHANGE_MAX_NUM_ALGO_ORDERS: open orders over all symbols', async (t) => {
  const perSymbol = { maxNumOrders: 300, maxNumAlgoOrders: 60 };
  const { sim, account } = setup({ BTCUSDT: perSymbol, ETHUSDT: perSymbol, SOLUSDT: perSymbol, BNBUSDT: perSymbol });
  const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'];
  // Prices near each market, so only the counts decide.
  const near = (symbol: string, f: string) => sim.market.price(symbol, T0).times(f).round(2).toFixed(2);
  const stop = (symbol: string) => ({
    symbol,
    side: 'SELL',
    type: 'STOP_LOSS',
    quantity: symbol === 'BTCUSDT' ? '0.01' : '1',
    stopPrice: near(symbol, '0.9'),
  });
  for (let i = 0; i < 200; i++) place(sim, account, T0, stop(symbols[i % 4] ?? 'BTCUSDT'));
  t.equal(verdict(sim, account, stop('BTCUSDT')), 'EXCHANGE_MAX_NUM_ALGO_ORDERS', '200 stop orders across the exchange');
  const resting = (symbol: string) => ({
    symbol,
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: symbol === 'BTCUSDT' ? '0.01' : '1',
    price: near(symbol, '0.9'),
  });
  for (let i = 0; i < 800; i++) place(sim, account, T0, resting(symbols[i % 4] ?? 'BTCUSDT'));
  t.equal(account.openOrders().length, 1000);
  t.equal(verdict(sim, account, resting('ETHUSDT')), 'EXCHANGE_MAX_NUM_ORDERS', '1000 open orders across the exchange');
});

t.test('exchangeInfo lists exactly the filters enforced, with the instance’s values', async (t) => {
  const { sim } = setup({ BTCUSDT: { maxNumOrders: 7, notional: { applyMaxToMarket: true } } });
  const f = filtersOf(sim.market.spec('BTCUSDT'));
  t.same(
    f.map((x) => x.filterType),
    [
      'PRICE_FILTER',
      'LOT_SIZE',
      'PERCENT_PRICE_BY_SIDE',
      'NOTIONAL',
      'MARKET_LOT_SIZE',
      'MAX_NUM_ORDERS',
      'MAX_NUM_ALGO_ORDERS',
      'MAX_NUM_ORDER_AMENDS',
    ],
  );
  t.match(f, [{}, {}, {}, { applyMaxToMarket: true, applyMinToMarket: true }, {}, { maxNumOrders: 7 }]);
  t.throws(() => engineSim({ filters: { XYZUSDT: { maxNumOrders: 1 } } }), /unlisted symbol/);
  t.throws(() => engineSim({ filters: { BTCUSDT: { price: { tickSize: 'abc' } } } }), /decimal string/);
});
