import t from 'tap';
import { availableFor, checkTicket, effectivePrice, orderTotal, quickQuantity, type TicketInput } from '../src/lib/trading/ticket.ts';
import { BTCUSDT } from './fixtures.ts';

const ticket = (over: Partial<TicketInput> = {}): TicketInput => ({
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.01',
  price: '64000',
  stopPrice: '',
  timeInForce: 'GTC',
  ...over,
});

t.test('a valid limit order becomes the request, with its time in force', async (t) => {
  const r = checkTicket(BTCUSDT, ticket({ quantity: ' 0.01 ' }), '64100', '10000');
  t.same(r.errors, {});
  t.same(r.request, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '64000', timeInForce: 'GTC' });
});

t.test('market orders carry neither price nor time in force; stop-limits carry both prices and GTC', async (t) => {
  t.same(checkTicket(BTCUSDT, ticket({ type: 'MARKET', price: 'ignored' }), '64100', '10000').request, {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'MARKET',
    quantity: '0.01',
  });
  t.same(checkTicket(BTCUSDT, ticket({ type: 'STOP_LOSS_LIMIT', stopPrice: '63000', timeInForce: 'IOC' }), '64100', '10000').request, {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'STOP_LOSS_LIMIT',
    quantity: '0.01',
    price: '64000',
    stopPrice: '63000',
    timeInForce: 'GTC',
  });
});

t.test('missing and malformed numbers are reported per field, before any filter', async (t) => {
  const r = checkTicket(BTCUSDT, ticket({ quantity: '', price: '1e5', type: 'STOP_LOSS_LIMIT', stopPrice: '-1' }), null, null);
  t.equal(r.request, null);
  t.match(r.errors.quantity, /Enter a quantity/);
  t.match(r.errors.price, /plain number/);
  t.match(r.errors.stopPrice, /plain number/);
  t.match(checkTicket(BTCUSDT, ticket({ quantity: '0' }), null, null).errors.quantity, /greater than 0/);
  t.match(checkTicket(BTCUSDT, ticket({ quantity: '1,5' }), null, null).errors.quantity, /plain number/);
});

t.test("the server's filters (checkFilters) land on the right field, in words", async (t) => {
  const step = checkTicket(BTCUSDT, ticket({ quantity: '0.000015' }), null, null);
  t.match(step.errors.quantity, /^Quantity 0.000015 is not a multiple of the step size 0.00001/);
  const tick = checkTicket(BTCUSDT, ticket({ price: '64000.005' }), null, null);
  t.match(tick.errors.price, /^Price 64000.005 is not a multiple of the tick size 0.01/);
  const stop = checkTicket(BTCUSDT, ticket({ type: 'STOP_LOSS_LIMIT', stopPrice: '63000.001' }), null, null);
  t.match(stop.errors.stopPrice, /^Stop price 63000.001 is not a multiple/);
  const small = checkTicket(BTCUSDT, ticket({ quantity: '0.00001', price: '100' }), null, null);
  t.match(small.errors.notional, /order value 0.001 is below the minimum 5/i);
  t.equal(small.request, null);
});

t.test('a limit price too far from the last price is shown on the price field (PERCENT_PRICE_BY_SIDE)', async (t) => {
  const banded = { ...BTCUSDT, percentPrice: { bidUp: '5', bidDown: '0.2', askUp: '5', askDown: '0.2' } };
  const r = checkTicket(banded, ticket({ price: '6400' }), '64000', null);
  t.same(r.errors, { price: 'Price 6400 is less than 0.2× the market price 64000: a BUY must be at least 12800' });
  t.equal(r.request, null);
  t.same(checkTicket(banded, ticket({ price: '12800' }), '64000', null).errors, {}, 'the edge of the band is fine');
  t.same(checkTicket(banded, ticket({ price: '6400' }), null, null).errors, {}, 'no last price yet: the server decides');
});

t.test('market notional is checked at the last price, and skipped without one', async (t) => {
  t.match(checkTicket(BTCUSDT, ticket({ type: 'MARKET', quantity: '0.00001' }), '64000', null).errors.notional, /below the minimum 5/);
  t.same(checkTicket(BTCUSDT, ticket({ type: 'MARKET', quantity: '0.00001' }), null, null).errors, {});
});

t.test('balance: a buy is checked against quote, a sell against base', async (t) => {
  t.match(
    checkTicket(BTCUSDT, ticket({ quantity: '1' }), null, '10000').errors.notional,
    /Order value 64000 exceeds the 10000 USDT available/,
  );
  t.same(checkTicket(BTCUSDT, ticket({ quantity: '0.15625' }), null, '10000').errors, {}, 'exactly the balance is fine');
  t.match(checkTicket(BTCUSDT, ticket({ side: 'SELL', quantity: '0.2' }), null, '0.1').errors.quantity, /Only 0.1 BTC available/);
  t.same(checkTicket(BTCUSDT, ticket({ side: 'SELL', quantity: '0.1' }), null, '0.1').errors, {});
  t.same(checkTicket(BTCUSDT, ticket({ quantity: '100' }), null, null).errors, {}, 'unknown balance: the server decides');
});

t.test('total = quantity × price, or × last price for a market order', async (t) => {
  t.equal(orderTotal(ticket({ quantity: '0.015', price: '64000.01' }), null), '960.00015');
  t.equal(orderTotal(ticket({ type: 'MARKET', quantity: '0.5' }), '64000'), '32000');
  t.equal(orderTotal(ticket({ type: 'MARKET', quantity: '0.5' }), null), null);
  t.equal(orderTotal(ticket({ quantity: 'x' }), '1'), null);
  t.equal(effectivePrice({ type: 'LIMIT', price: ' 12.5 ' }, '99'), '12.5');
  t.equal(effectivePrice({ type: 'LIMIT', price: '' }, '99'), null);
});

t.test('quick sizes are floored to the step and never exceed what is available', async (t) => {
  t.equal(quickQuantity(100, 'BUY', '10000', '64000', BTCUSDT), '0.15625');
  t.equal(quickQuantity(25, 'BUY', '10000', '64000', BTCUSDT), '0.03906', '0.0390625 floored');
  t.equal(quickQuantity(50, 'SELL', '0.123456789', null, BTCUSDT), '0.06172', 'sell ignores the price');
  t.equal(quickQuantity(75, 'BUY', '10000', '33333.33', BTCUSDT), '0.225');
  t.equal(quickQuantity(100, 'BUY', '10000', null, BTCUSDT), null, 'a buy needs a price');
  t.equal(quickQuantity(100, 'BUY', null, '1', BTCUSDT), null, 'and a balance');
  t.equal(quickQuantity(100, 'BUY', '10000', '0', BTCUSDT), null);
});

t.test('available: quote asset to buy, base asset to sell', async (t) => {
  const free = (a: string) => ({ USDT: '10000', BTC: '0.5' })[a] ?? null;
  t.same(availableFor('BUY', BTCUSDT, free), { asset: 'USDT', amount: '10000' });
  t.same(availableFor('SELL', BTCUSDT, free), { asset: 'BTC', amount: '0.5' });
});
