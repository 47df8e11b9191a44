// The user-data stream against the simulator: a resting order that fills after a price move arrives
// as a TRADE report; after the simulator severs the socket, onReconnect fires and reports keep flowing.
import t from 'tap';
import type { VenueOrderReport, VenueOrderRequest } from '../src/venue/types.ts';
import { cid, venueFor, withSim } from './fixtures/venue-sim.ts';
import { eventually } from '@blotter/test-kit/procs';

const limitBuy = (price: string): VenueOrderRequest => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.01',
  price,
  stopPrice: null,
  timeInForce: 'GTC',
  clientOrderId: cid('ud'),
});

t.test('a resting LIMIT that fills after pinPrice arrives as a TRADE report with that execution', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount({ USDT: '1000' }));
  const reports: VenueOrderReport[] = [];
  const unsubscribe = await venue.subscribe({ onReport: (r) => reports.push(r), onReconnect: () => {} });
  t.teardown(unsubscribe);

  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const req = limitBuy('59000.00');
  const placed = await venue.placeOrder(req);
  const of = (status: string) => () => reports.find((r) => r.clientOrderId === req.clientOrderId && r.status === status);
  t.match(await eventually(of('NEW'), 5_000, 'NEW report', 25), { venueOrderId: placed.venueOrderId, executedQuantity: '0', fills: [] });

  await sim.admin.pinPrice('BTCUSDT', '58000.00');
  const trade = await eventually(of('FILLED'), 5_000, 'TRADE report', 25);
  t.match(trade, { venueOrderId: placed.venueOrderId, symbol: 'BTCUSDT', executedQuantity: '0.01', cumulativeQuote: '590' });
  t.equal(trade.fills.length, 1, 'only the new execution');
  t.match(trade.fills[0], { price: '59000', quantity: '0.01', quoteQuantity: '590', fee: '0.00001', feeAsset: 'BTC' });
  t.equal(trade.fills[0]?.at, trade.at);
  // The same execution as queryOrder (myTrades) reports it.
  const queried = await venue.queryOrder('BTCUSDT', req.clientOrderId);
  t.same(queried?.fills, trade.fills);
});

t.test('a cancel report carries our client order id', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount({ USDT: '1000' }));
  const reports: VenueOrderReport[] = [];
  const unsubscribe = await venue.subscribe({ onReport: (r) => reports.push(r), onReconnect: () => {} });
  t.teardown(unsubscribe);
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const req = limitBuy('50000.00');
  await venue.placeOrder(req);
  await venue.cancelOrder('BTCUSDT', req.clientOrderId);
  const canceled = await eventually(() => reports.find((r) => r.status === 'CANCELED'), 5_000, 'CANCELED report', 25);
  t.equal(canceled.clientOrderId, req.clientOrderId);
});

t.test('after the simulator drops the socket, onReconnect fires and reports keep flowing', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount({ USDT: '1000' }), {
    userData: { reconnectInitialMs: 50, reconnectMaxMs: 500 },
  });
  const reports: VenueOrderReport[] = [];
  let reconnects = 0;
  const unsubscribe = await venue.subscribe({ onReport: (r) => reports.push(r), onReconnect: () => reconnects++ });
  t.teardown(unsubscribe);
  t.match(await sim.admin.injectFault({ kind: 'dropWs', count: 1 }), { dropped: 1 });
  await eventually(() => (reconnects === 1 ? true : undefined), 5_000, 'onReconnect', 25);

  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const req = limitBuy('50000.00');
  await venue.placeOrder(req);
  t.match(await eventually(() => reports.find((r) => r.clientOrderId === req.clientOrderId), 5_000, 'report on the new socket', 25), {
    status: 'NEW',
  });
  t.equal(reconnects, 1, 'one reconnect for one drop');

  await unsubscribe();
  // The simulator learns of the closed socket asynchronously; poll until it has no subscription left.
  const left = async () => ((await sim.admin.injectFault({ kind: 'dropWs', count: 1 })).dropped === 0 ? true : undefined);
  t.ok(await eventually(left, 5_000, 'the simulator to see the subscription gone', 25));
  await sim.admin.clearFaults();
});
