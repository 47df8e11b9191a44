// The adapter's pure parts: error classification, the rate-limit gate, request checks, the
// exchangeInfo cache and the configuration.
import t from 'tap';
import { createLibraryClient, resolveTimeouts } from '../src/venue/binance-client.ts';
import { bannedUntil, classifyFailure, classOfCode, InvalidOrderRequestError, VenueConfigError } from '../src/venue/errors.ts';
import { ExchangeInfoCache } from '../src/venue/exchange-info.ts';
import { silentLogger } from '@blotter/eventstore/logger';
import { decimal } from '../src/venue/mapping.ts';
import { assertValidOrderRequest } from '../src/venue/order-request.ts';
import { RateLimitGate } from '../src/venue/rate-limit.ts';
import { type VenueOrderRequest, VenueRateLimitedError } from '../src/venue/types.ts';
import { BTCUSDT } from '@blotter/test-kit/fixtures';

const body = (code: number, msg: string) => new Error(JSON.stringify({ code, msg }));

t.test('code table: refusals, limits, unknown outcomes, clock', async (t) => {
  for (const code of [-1013, -1100, -1102, -1121, -1130, -1131, -1022, -2010, -2011, -2013, -2014, -2015])
    t.equal(classOfCode(code), 'rejected', String(code));
  for (const code of [-1003, -1015]) t.equal(classOfCode(code), 'rate-limited', String(code));
  for (const code of [-1000, -1001, -1006, -1007, -1008, -9999]) t.equal(classOfCode(code), 'unknown-outcome', String(code));
  t.equal(classOfCode(-1021), 'clock');
});

t.test('classifyFailure reads what the library leaves of a failure', async (t) => {
  t.same(classifyFailure(body(-2010, 'Order would trigger immediately.')), {
    kind: 'rejected',
    code: -2010,
    msg: 'Order would trigger immediately.',
  });
  t.same(classifyFailure(body(-1021, 'Timestamp for this request is outside of the recvWindow.')), {
    kind: 'clock',
    code: -1021,
    msg: 'Timestamp for this request is outside of the recvWindow.',
  });
  t.match(classifyFailure(body(-1003, 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.')), {
    kind: 'rate-limited',
    bannedUntil: null,
  });
  t.match(classifyFailure(new Error('Request timeout: POST http://x/api/v3/order (500ms)')), { kind: 'unknown-outcome' });
  t.match(classifyFailure(new Error('<html>502</html>')), { kind: 'unknown-outcome' });
  t.match(classifyFailure(new SyntaxError('Unexpected token < in JSON')), { kind: 'unknown-outcome' });
  t.match(classifyFailure('a string'), { kind: 'unknown-outcome' });
  const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  t.match(classifyFailure(refused), { kind: 'unavailable' });
  const dns = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }) });
  t.match(classifyFailure(dns), { kind: 'unavailable' });
  const both = new AggregateError([
    Object.assign(new Error('a'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('b'), { code: 'ENETUNREACH' }),
  ]);
  t.match(classifyFailure(new TypeError('fetch failed', { cause: both })), { kind: 'unavailable' });
  const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
  t.match(classifyFailure(reset), { kind: 'unknown-outcome' }, 'a connection lost after sending may have executed');
});

t.test('the ban time of a 418 message', async (t) => {
  t.equal(
    bannedUntil(
      'Way too much request weight used; IP banned until 1659146400000. Please use WebSocket Streams for live updates to avoid bans.',
    ),
    1659146400000,
  );
  t.equal(bannedUntil('Too much request weight used; current limit is 6000 request weight per 1 MINUTE.'), null);
});

t.test('rate-limit gate: refuses while limited, doubles per consecutive limit up to the cap, resets on success', async (t) => {
  let now = 1_000_000;
  const gate = new RateLimitGate({ initialMs: 1_000, maxMs: 3_000 }, () => now);
  gate.check('free');
  t.equal(gate.limited(null), 1_000);
  t.throws(() => gate.check('blocked'), VenueRateLimitedError);
  t.equal(gate.limited(null), 1_000, 'answers of requests already in flight do not double the wait');
  now += 1_000;
  gate.check('wait is over');
  t.equal(gate.limited(null), 2_000, 'second consecutive limit');
  now += 2_000;
  t.equal(gate.limited(null), 3_000, 'capped');
  now += 3_000;
  gate.succeeded();
  t.equal(gate.limited(null), 1_000, 'streak reset by a success');
  now += 1_000;
  t.equal(gate.limited(now + 600_000), 600_000, 'a ban lasts until its end, beyond the cap');
  const err = (() => {
    try {
      gate.check('banned');
    } catch (e) {
      return e;
    }
  })();
  t.ok(err instanceof VenueRateLimitedError && err.retryAfterMs === 600_000);
});

const order = (over: Partial<VenueOrderRequest>): VenueOrderRequest => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.01',
  price: '60000',
  stopPrice: null,
  timeInForce: 'GTC',
  clientOrderId: '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a',
  ...over,
});

t.test('order requests the library would refuse locally never leave the process', async (t) => {
  assertValidOrderRequest(order({}));
  assertValidOrderRequest(order({ type: 'MARKET', price: null, timeInForce: null }));
  assertValidOrderRequest(order({ type: 'TAKE_PROFIT_LIMIT', stopPrice: '61000' }));
  const bad: Partial<VenueOrderRequest>[] = [
    { quantity: '1e-7' },
    { quantity: '0' },
    { quantity: '-1' },
    { price: null },
    { stopPrice: '1' },
    { timeInForce: null },
    { type: 'MARKET', timeInForce: null },
    { type: 'MARKET', price: null, timeInForce: 'IOC' },
    { type: 'STOP_LOSS_LIMIT' },
    { clientOrderId: 'x'.repeat(37) },
    { clientOrderId: 'with space' },
  ];
  for (const b of bad) t.throws(() => assertValidOrderRequest(order(b)), InvalidOrderRequestError, JSON.stringify(b));
});

t.test('decimals are normalised without trailing zeros or exponents', async (t) => {
  t.equal(decimal('0.01000000'), '0.01');
  t.equal(decimal('1000000.00000000'), '1000000');
  t.equal(decimal('0.00000010'), '0.0000001');
  t.equal(decimal('0.00000000'), '0');
});

const BTC = BTCUSDT;

t.test('exchangeInfo cache: one load per TTL, shared by concurrent callers, stale copy when a refresh fails', async (t) => {
  let now = 0;
  let loads = 0;
  let fail = false;
  const cache = new ExchangeInfoCache(
    async () => {
      loads += 1;
      if (fail) throw new Error('venue down');
      return [{ ...BTC, minNotional: String(loads) }];
    },
    1_000,
    silentLogger,
    () => now,
  );
  const [a, b] = await Promise.all([cache.get(), cache.get()]);
  t.equal(loads, 1, 'concurrent callers share one load');
  t.same(a, b);
  now = 999;
  t.equal((await cache.get())[0]?.minNotional, '1', 'fresh within the TTL');
  now = 1_000;
  t.equal((await cache.get())[0]?.minNotional, '2', 'reloaded after the TTL');
  now = 2_500;
  fail = true;
  t.equal((await cache.get())[0]?.minNotional, '2', 'stale copy when the refresh fails');
  const empty = new ExchangeInfoCache(
    async () => {
      throw new Error('venue down');
    },
    1_000,
    silentLogger,
  );
  await t.rejects(empty.get(), /venue down/, 'no copy at all: the error');
  const [first] = await cache.get();
  t.ok(first && Object.isFrozen(first), 'shared entries are frozen');
});

t.test('configuration', async (t) => {
  t.same(resolveTimeouts({ apiKey: 'k', apiSecret: 's', kind: 'paper' }), { recvWindowMs: 5_000, timeoutMs: 10_000 });
  t.throws(() => resolveTimeouts({ apiKey: 'k', apiSecret: 's', kind: 'paper', recvWindowMs: 5_000, timeoutMs: 4_000 }), VenueConfigError);
  t.throws(() => resolveTimeouts({ apiKey: 'k', apiSecret: 's', kind: 'paper', recvWindowMs: 70_000 }), VenueConfigError);
  t.throws(
    () => createLibraryClient({ apiKey: 'k', apiSecret: 's', kind: 'paper' }, 10_000, silentLogger),
    VenueConfigError,
    'paper needs a URL',
  );
  t.throws(
    () => createLibraryClient({ apiKey: '', apiSecret: 's', kind: 'paper', baseUrl: 'http://x' }, 10_000, silentLogger),
    VenueConfigError,
  );
  t.throws(
    () => createLibraryClient({ apiKey: 'k', apiSecret: 's', kind: 'binance-testnet', baseUrl: 'http://x' }, 10_000, silentLogger),
    VenueConfigError,
    'the testnet URLs cannot be overridden',
  );

  const testnet = createLibraryClient({ apiKey: 'k', apiSecret: 's', kind: 'binance-testnet' }, 10_000, silentLogger);
  t.equal(testnet.getSpotUrl(), 'https://testnet.binance.vision/api/');
  t.equal(testnet.getWsApiUrl(), 'wss://ws-api.testnet.binance.vision/ws-api/v3');
  t.equal(testnet.Options.reconnect, false, 'library reconnects off (user-data.ts reconnects with backoff)');
  t.equal(testnet.Options.recvWindow, 10_000, 'the library option holds the HTTP timeout');

  const paper = createLibraryClient(
    { apiKey: 'k', apiSecret: 's', kind: 'paper', baseUrl: 'http://127.0.0.1:3002/' },
    10_000,
    silentLogger,
  );
  t.equal(paper.getSpotUrl(), 'http://127.0.0.1:3002/api/');
  t.equal(paper.getWsApiUrl(), 'ws://127.0.0.1:3002/ws-api/v3');
  t.equal(paper.getStreamUrl(), 'ws://127.0.0.1:3002/ws/', 'market streams point at the simulator too');
  t.equal(paper.getCombineStreamUrl(), 'ws://127.0.0.1:3002/stream?streams=');
});
