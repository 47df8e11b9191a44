// The adapter against the exchange simulator: orders of every kind, their reports, the venue's
// refusals, exchangeInfo and balances.
import { dec, str, sum } from '@blotter/orders';
import t from 'tap';
import { type VenueOrderRequest, VenueRejectedError } from '../src/venue/types.ts';
import { cid, rawClient, venueFor, withSim } from './fixtures/venue-sim.ts';
import { rejectionOf } from './fixtures/rejection.ts';
import { BTCUSDT } from '@blotter/test-kit/fixtures';

const limit = (over: Partial<VenueOrderRequest>): VenueOrderRequest => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.01',
  price: '50000.00',
  stopPrice: null,
  timeInForce: 'GTC',
  clientOrderId: cid('limit'),
  ...over,
});

const market = (over: Partial<VenueOrderRequest>): VenueOrderRequest => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'MARKET',
  quantity: '0.01',
  price: null,
  stopPrice: null,
  timeInForce: null,
  clientOrderId: cid('market'),
  ...over,
});

/** The simulator's fee: 0.1 % of what is received, rounded up to 8 decimals. */
const feeOf = (qty: string) => str(dec(qty).times('0.001').round(8, 3));

t.test('MARKET BUY: FILLED, fills exactly as the venue booked them, fee in the base asset', async (t) => {
  const sim = await withSim(t);
  const account = await sim.admin.createAccount({ USDT: '10000' });
  const venue = await venueFor(t, sim, account);
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const req = market({ quantity: '0.05' });
  const report = await venue.placeOrder(req);
  t.match(report, { clientOrderId: req.clientOrderId, symbol: 'BTCUSDT', status: 'FILLED', executedQuantity: '0.05' });
  t.ok(report.fills.length >= 1);
  t.equal(str(sum(report.fills.map((f) => f.quantity))), '0.05', 'fills add up to the executed quantity');
  t.equal(str(sum(report.fills.map((f) => f.quoteQuantity))), report.cumulativeQuote, 'and to the cumulative quote');
  for (const f of report.fills) {
    t.equal(f.feeAsset, 'BTC');
    t.equal(f.fee, feeOf(f.quantity));
    t.equal(f.quoteQuantity, str(dec(f.price).times(f.quantity)));
    t.equal(f.at, report.at);
  }
  // What the venue itself holds for the order (raw myTrades), normalised.
  const raw = (await rawClient(sim, account).myTrades('BTCUSDT', { orderId: Number(report.venueOrderId) })) as {
    id: number;
    price: string;
    qty: string;
    quoteQty: string;
    commission: string;
    commissionAsset: string;
  }[];
  t.same(
    report.fills.map((f) => [f.tradeId, f.price, f.quantity, f.quoteQuantity, f.fee, f.feeAsset]),
    raw.map((r) => [String(r.id), str(dec(r.price)), str(dec(r.qty)), str(dec(r.quoteQty)), str(dec(r.commission)), r.commissionAsset]),
  );
  // queryOrder by client id returns the same order with the same fills (from myTrades).
  const queried = await venue.queryOrder('BTCUSDT', req.clientOrderId);
  if (!queried) throw new Error('order not found');
  t.same({ ...queried, at: report.at }, report, 'queryOrder: same order, same fills');
  t.ok(Date.parse(queried.at) >= Date.parse(report.at), 'stamped with the order’s last update');
  t.equal(await venue.queryOrder('BTCUSDT', 'never-sent'), null, 'unknown client order id → null');
});

t.test('MARKET larger than the book: partial fills, then EXPIRED', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount({ USDT: '10000000' }));
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const report = await venue.placeOrder(market({ quantity: '100' }));
  t.equal(report.status, 'EXPIRED');
  t.ok(dec(report.executedQuantity).gt(0) && dec(report.executedQuantity).lt(100), `executed ${report.executedQuantity} of 100`);
  t.equal(str(sum(report.fills.map((f) => f.quantity))), report.executedQuantity);
});

t.test('LIMIT resting, listed as open, canceled; a second cancel is -2011', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount({ USDT: '10000' }));
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const req = limit({ price: '50000.00' });
  const placed = await venue.placeOrder(req);
  t.match(placed, { status: 'NEW', executedQuantity: '0', cumulativeQuote: '0', fills: [] });
  t.same(
    (await venue.openOrders('BTCUSDT')).map((o) => [o.clientOrderId, o.venueOrderId, o.status]),
    [[req.clientOrderId, placed.venueOrderId, 'NEW']],
  );
  t.same(await venue.openOrders('ETHUSDT'), []);
  const canceled = await venue.cancelOrder('BTCUSDT', req.clientOrderId);
  t.match(canceled, { clientOrderId: req.clientOrderId, venueOrderId: placed.venueOrderId, status: 'CANCELED', fills: [] });
  t.same(await venue.openOrders(), []);
  const again = await rejectionOf(venue.cancelOrder('BTCUSDT', req.clientOrderId));
  t.ok(again instanceof VenueRejectedError && again.code === -2011, String(again));
  t.match(await venue.queryOrder('BTCUSDT', req.clientOrderId), { status: 'CANCELED', fills: [] });
});

t.test('IOC and FOK outcomes', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount({ USDT: '10000000' }));
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const iocFill = await venue.placeOrder(limit({ price: '60100.00', timeInForce: 'IOC' }));
  t.match(iocFill, { status: 'FILLED', executedQuantity: '0.01' }, 'IOC crossing the book');
  t.equal(iocFill.fills.length > 0, true);
  const iocMiss = await venue.placeOrder(limit({ price: '59000.00', timeInForce: 'IOC' }));
  t.match(iocMiss, { status: 'EXPIRED', executedQuantity: '0', fills: [] }, 'IOC with nothing to take');
  const fokFill = await venue.placeOrder(limit({ price: '60100.00', timeInForce: 'FOK' }));
  t.match(fokFill, { status: 'FILLED', executedQuantity: '0.01' }, 'FOK that fits');
  const fokMiss = await venue.placeOrder(limit({ quantity: '80', price: '60100.00', timeInForce: 'FOK' }));
  t.match(fokMiss, { status: 'EXPIRED', executedQuantity: '0', fills: [] }, 'FOK larger than the book: nothing');
});

t.test('stop orders: accepted while waiting; a stop already crossed is -2010', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount({ USDT: '10000', BTC: '1' }));
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const waiting = await venue.placeOrder(limit({ side: 'SELL', type: 'STOP_LOSS_LIMIT', price: '54900.00', stopPrice: '55000.00' }));
  t.match(waiting, { status: 'NEW', fills: [] });
  const takeProfit = await venue.placeOrder(limit({ side: 'SELL', type: 'TAKE_PROFIT_LIMIT', price: '65000.00', stopPrice: '65000.00' }));
  t.match(takeProfit, { status: 'NEW' });
  const crossed = await rejectionOf(
    venue.placeOrder(limit({ side: 'SELL', type: 'STOP_LOSS_LIMIT', price: '60900.00', stopPrice: '61000.00' })),
  );
  t.ok(crossed instanceof VenueRejectedError && crossed.code === -2010, String(crossed));
  t.match(crossed, { message: 'Order would trigger immediately.' });
});

t.test('refusals: filters are -1013, missing funds -2010, an unknown symbol -1121', async (t) => {
  const sim = await withSim(t);
  const account = await sim.admin.createAccount({ USDT: '1000' });
  const venue = await venueFor(t, sim, account);
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const expectCode = async (req: VenueOrderRequest, code: number, message: RegExp) => {
    const err = await rejectionOf(venue.placeOrder(req));
    t.ok(err instanceof VenueRejectedError && err.code === code, `${req.quantity}@${req.price}: ${String(err)}`);
    t.match(err, { message });
  };
  await expectCode(limit({ quantity: '0.000001' }), -1013, /LOT_SIZE/);
  await expectCode(limit({ quantity: '0.00001', price: '50000.00' }), -1013, /NOTIONAL/);
  await expectCode(limit({ quantity: '1', price: '59000.00' }), -2010, /insufficient balance/);
  await expectCode(limit({ symbol: 'NOPEUSDT' }), -1121, /Invalid symbol/);
  t.same(await sim.admin.orders(account.apiKey), [], 'refusals book nothing');
});

t.test('exchangeInfo: the simulator symbols with normalised filters', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount());
  const symbols = await venue.exchangeInfo();
  t.same(
    symbols.map((s) => s.symbol),
    ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'],
  );
  t.same(symbols[0], BTCUSDT);
  t.match(symbols[1], { symbol: 'ETHUSDT', stepSize: '0.0001', minQty: '0.0001' });
});

t.test('balances: free and locked, zero assets left out', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount({ USDT: '1000', BTC: '0.5' }));
  const byAsset = async () => Object.fromEntries((await venue.balances()).map((b) => [b.asset, [b.free, b.locked]]));
  t.same(await byAsset(), { BTC: ['0.5', '0'], USDT: ['1000', '0'] });
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  await venue.placeOrder(limit({ quantity: '0.01', price: '50000.00' }));
  t.same(await byAsset(), { BTC: ['0.5', '0'], USDT: ['500', '500'] });
});
