// Venue failures injected through the simulator's admin API, as the executor will meet them.
import t from 'tap';
import { VenueRateLimitedError, VenueUnknownOutcomeError } from '../src/venue/types.ts';
import { armedFaults, cid, venueFor, withSim } from './fixtures/venue-sim.ts';
import { rejectionOf } from './fixtures/rejection.ts';

const marketBuy = (clientOrderId: string) => ({
  symbol: 'BTCUSDT',
  side: 'BUY' as const,
  type: 'MARKET' as const,
  quantity: '0.01',
  price: null,
  stopPrice: null,
  timeInForce: null,
  clientOrderId,
});

t.test('5xx after the order was booked: unknown outcome, then found by queryOrder with its fills', async (t) => {
  const sim = await withSim(t);
  const account = await sim.admin.createAccount({ USDT: '10000' });
  const venue = await venueFor(t, sim, account);
  await sim.admin.injectFault({ kind: 'error5xx', afterExecute: true, path: '/api/v3/order', method: 'POST' });
  const id = cid('lost-ack');
  t.type(await rejectionOf(venue.placeOrder(marketBuy(id))), VenueUnknownOutcomeError);
  const found = await venue.queryOrder('BTCUSDT', id);
  t.match(found, { clientOrderId: id, status: 'FILLED', executedQuantity: '0.01' });
  t.ok(found && found.fills.length > 0, 'with its fills');
  t.equal((await sim.admin.orders(account.apiKey, { clientOrderId: id })).length, 1);
});

t.test('5xx before execution: unknown outcome too (the status is hidden), and queryOrder says null', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount({ USDT: '10000' }));
  await sim.admin.injectFault({ kind: 'error5xx', afterExecute: false, status: 500, path: '/api/v3/order', method: 'POST' });
  const id = cid('never');
  t.type(await rejectionOf(venue.placeOrder(marketBuy(id))), VenueUnknownOutcomeError);
  t.equal(await venue.queryOrder('BTCUSDT', id), null);
});

t.test('an answer slower than the timeout: unknown outcome; the order exists exactly once', async (t) => {
  const sim = await withSim(t);
  const account = await sim.admin.createAccount({ USDT: '10000' });
  const venue = await venueFor(t, sim, account, { recvWindowMs: 1_000, timeoutMs: 1_500 });
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const delayMs = 2_500;
  await sim.admin.injectFault({ kind: 'delay', ms: delayMs, path: '/api/v3/order', method: 'POST' });
  const id = cid('slow');
  const started = Date.now();
  const err = await rejectionOf(venue.placeOrder({ ...marketBuy(id), type: 'LIMIT', price: '50000.00', timeInForce: 'GTC' }));
  const waited = Date.now() - started;
  t.type(err, VenueUnknownOutcomeError);
  t.ok(waited >= 1_400 && waited < delayMs, `gave up after the timeout (${waited} ms), not the answer`);
  t.match(await venue.queryOrder('BTCUSDT', id), { clientOrderId: id, status: 'NEW' });
  t.equal((await sim.admin.orders(account.apiKey, { clientOrderId: id })).length, 1, 'exactly once');
});

t.test('a 429 stops the adapter from calling the venue until the wait is over', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount({ USDT: '10000' }), {
    rateLimitBackoff: { initialMs: 30_000, maxMs: 60_000 },
  });
  await sim.admin.injectFault({ kind: 'rateLimit', retryAfterSeconds: 7, count: 2 });
  const first = await rejectionOf(venue.balances());
  t.ok(first instanceof VenueRateLimitedError && first.retryAfterMs > 29_000 && first.retryAfterMs <= 30_000, String(first));
  const second = await rejectionOf(venue.placeOrder(marketBuy(cid('held'))));
  t.type(second, VenueRateLimitedError, 'refused locally');
  t.match(await armedFaults(sim), [{ spec: { kind: 'rateLimit' }, left: 1 }], 'the second call never reached the venue');
});
