// Recorded Binance payloads (test/fixtures/binance, from Binance's API documentation) served by a
// local HTTP/WebSocket server to the real node-binance-api, through the adapter: the library's own
// request building and response handling is in the path, and the reports and error classes that come
// out are asserted exactly.
import t, { type Test } from 'tap';
import { type BinanceVenueOptions, createBinanceVenue } from '../src/venue/index.ts';
import {
  type VenueClient,
  type VenueOrderReport,
  VenueRateLimitedError,
  VenueRejectedError,
  VenueUnavailableError,
  VenueUnknownOutcomeError,
} from '../src/venue/types.ts';
import { fixtures } from './fixtures/binance-fixtures.ts';
import { FixtureVenue } from './fixtures/fixture-venue.ts';
import { rejectionOf } from './fixtures/rejection.ts';
import { eventually } from '@blotter/test-kit/procs';

const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const API_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const BACKOFF = { initialMs: 60_000, maxMs: 240_000 };

async function setup(t: Test, options: Partial<BinanceVenueOptions> = {}): Promise<{ server: FixtureVenue; venue: VenueClient }> {
  const server = await FixtureVenue.start(API_SECRET);
  t.teardown(() => server.close());
  const venue = await createBinanceVenue({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    kind: 'paper',
    baseUrl: server.url,
    rateLimitBackoff: BACKOFF,
    ...options,
  });
  t.teardown(() => venue.close());
  return { server, venue };
}

const ROUTES = {
  placeOrder: 'POST /api/v3/order',
  cancelOrder: 'DELETE /api/v3/order',
  queryOrder: 'GET /api/v3/order',
  balances: 'GET /api/v3/account',
} as const;

const ANY_ORDER = fixtures.newOrder.cases[1]?.request;
if (!ANY_ORDER) throw new Error('fixture missing');

const invoke = (venue: VenueClient, call: keyof typeof ROUTES): Promise<unknown> => {
  switch (call) {
    case 'placeOrder':
      return venue.placeOrder(ANY_ORDER);
    case 'cancelOrder':
      return venue.cancelOrder('BTCUSDT', ANY_ORDER.clientOrderId);
    case 'queryOrder':
      return venue.queryOrder('BTCUSDT', ANY_ORDER.clientOrderId);
    case 'balances':
      return venue.balances();
  }
};

t.test('new-order FULL responses map to exact reports; the request carries the exact decimal strings', async (t) => {
  const { server, venue } = await setup(t);
  for (const c of fixtures.newOrder.cases) {
    server.reply(ROUTES.placeOrder, { status: 200, body: c.response });
    t.same(await venue.placeOrder(c.request), c.expected, c.name);
    const sent = server.requestsTo(ROUTES.placeOrder).at(-1);
    if (!sent) throw new Error('no request recorded');
    for (const [key, value] of Object.entries(c.sent)) t.equal(sent.params.get(key), value, `${c.name}: sent ${key}`);
    for (const key of c.notSent) t.notOk(sent.params.has(key), `${c.name}: no ${key}`);
    t.equal(sent.params.get('newClientOrderId'), c.request.clientOrderId, `${c.name}: newClientOrderId is ours`);
    t.equal(sent.params.get('newOrderRespType'), 'FULL');
    t.equal(sent.params.get('recvWindow'), '5000', 'the Binance recvWindow, not the HTTP timeout');
    t.match(sent.params.get('signature'), /^[0-9a-f]{64}$/);
    t.equal(sent.apiKey, API_KEY);
  }
});

t.test('an answer for another client order id is not taken for ours', async (t) => {
  const { server, venue } = await setup(t);
  const [doc, other] = fixtures.newOrder.cases;
  if (!doc || !other) throw new Error('fixture missing');
  server.reply(ROUTES.placeOrder, { status: 200, body: doc.response });
  t.type(await rejectionOf(venue.placeOrder(other.request)), VenueUnknownOutcomeError);
});

t.test('cancel responses: our client id is origClientOrderId, no fills', async (t) => {
  const { server, venue } = await setup(t);
  for (const c of fixtures.cancelOrder.cases) {
    server.reply(ROUTES.cancelOrder, { status: 200, body: c.response });
    t.same(await venue.cancelOrder(c.symbol, c.clientOrderId), c.expected, c.name);
    const sent = server.requestsTo(ROUTES.cancelOrder).at(-1);
    t.equal(sent?.params.get('origClientOrderId'), c.clientOrderId);
    t.notOk(sent?.params.has('orderId'), 'cancels by client order id only');
  }
});

t.test('a cancel answer without transactTime (older servers) is stamped with the venue clock', async (t) => {
  const { server, venue } = await setup(t);
  const c = fixtures.cancelOrder.cases[0];
  if (!c || typeof c.response !== 'object' || c.response === null) throw new Error('fixture missing');
  const { transactTime: _dropped, ...older } = { transactTime: 0, ...c.response };
  server.reply(ROUTES.cancelOrder, { status: 200, body: older });
  const before = Date.now() - 1_000;
  const report = await venue.cancelOrder(c.symbol, c.clientOrderId);
  const at = Date.parse(report.at);
  t.ok(at >= before && at <= Date.now() + 1_000, `at ${report.at} is now`);
});

t.test('queryOrder: the order plus its own trades from myTrades, oldest first', async (t) => {
  const { server, venue } = await setup(t);
  for (const c of fixtures.queryOrder.cases) {
    const tradesBefore = server.requestsTo('GET /api/v3/myTrades').length;
    server.reply(ROUTES.queryOrder, { status: 200, body: c.order });
    if (c.trades) server.reply('GET /api/v3/myTrades', { status: 200, body: c.trades });
    t.same(await venue.queryOrder(c.symbol, c.clientOrderId), c.expected, c.name);
    t.equal(server.requestsTo(ROUTES.queryOrder).at(-1)?.params.get('origClientOrderId'), c.clientOrderId);
    const tradeRequests = server.requestsTo('GET /api/v3/myTrades').slice(tradesBefore);
    if (c.trades === null) {
      t.same(tradeRequests, [], `${c.name}: no myTrades request`);
    } else {
      t.equal(tradeRequests.length, 1, `${c.name}: one myTrades page`);
      t.match(Object.fromEntries(tradeRequests[0]?.params ?? []), { symbol: c.symbol, fromId: '0', limit: '1000' });
    }
  }
});

t.test('queryOrder reads myTrades page by page (symbol + orderId + fromId)', async (t) => {
  const { server, venue } = await setup(t);
  const c = fixtures.queryOrder.cases[1];
  if (!c?.trades) throw new Error('fixture missing');
  const [trade] = c.trades;
  if (typeof trade !== 'object' || trade === null) throw new Error('fixture missing');
  const page1 = Array.from({ length: 1000 }, (_, i) => ({ ...trade, id: 1 + i, qty: '0.01200000', quoteQty: '0.048000012' }));
  const page2 = [{ ...trade, id: 1001 }];
  server.reply(ROUTES.queryOrder, { status: 200, body: c.order });
  server.reply('GET /api/v3/myTrades', { status: 200, body: page1 }, { status: 200, body: page2 });
  const report = await venue.queryOrder(c.symbol, c.clientOrderId);
  t.equal(report?.fills.length, 1001);
  t.same(
    server.requestsTo('GET /api/v3/myTrades').map((r) => [r.params.get('orderId'), r.params.get('fromId')]),
    [
      ['100234', '0'],
      ['100234', '1001'],
    ],
  );
});

t.test('openOrders maps each order without fills', async (t) => {
  const { server, venue } = await setup(t);
  server.reply('GET /api/v3/openOrders', { status: 200, body: fixtures.openOrders.response });
  t.same(await venue.openOrders(), fixtures.openOrders.expected);
  t.notOk(server.requestsTo('GET /api/v3/openOrders')[0]?.params.has('symbol'), 'all symbols');
});

t.test('balances: normalised, zero rows dropped, omitZeroBalances asked', async (t) => {
  const { server, venue } = await setup(t);
  server.reply(ROUTES.balances, { status: 200, body: fixtures.account.response });
  t.same(await venue.balances(), fixtures.account.expected);
  t.equal(server.requestsTo(ROUTES.balances)[0]?.params.get('omitZeroBalances'), 'true');
});

t.test('exchangeInfo: filters mapped and normalised, untradable symbols skipped, cached', async (t) => {
  const { server, venue } = await setup(t);
  server.reply('GET /api/v3/exchangeInfo', { status: 200, body: fixtures.exchangeInfo.response });
  t.same(await venue.exchangeInfo(), fixtures.exchangeInfo.expected);
  t.same(await venue.exchangeInfo(), fixtures.exchangeInfo.expected, 'second call');
  t.equal(server.requestsTo('GET /api/v3/exchangeInfo').length, 1, 'served from the cache');
});

t.test('error bodies classify into the venue error classes', async (t) => {
  for (const c of fixtures.errors.cases) {
    await t.test(c.name, async (t) => {
      const { server, venue } = await setup(t);
      const banUntil = Date.now() + 180_000;
      const answers = c.answers.map((a) => ({
        status: a.status,
        body: JSON.parse(JSON.stringify(a.body).replace('{{BAN_UNTIL}}', String(banUntil))),
      }));
      server.reply(ROUTES[c.call], ...answers);
      const timeBefore = server.requestsTo('GET /api/v3/time').length;
      if (c.expected.result === null) {
        t.equal(await invoke(venue, c.call), null);
        return;
      }
      const err = await rejectionOf(invoke(venue, c.call));
      t.ok(err instanceof Error && err.name === c.expected.error, `${String(err)} is a ${c.expected.error}`);
      if (c.expected.code !== undefined) t.equal(err instanceof VenueRejectedError && err.code, c.expected.code);
      if (c.expected.requests !== undefined) t.equal(server.requestsTo(ROUTES[c.call]).length, c.expected.requests, 'requests');
      if (c.expected.timeSyncs !== undefined)
        t.equal(server.requestsTo('GET /api/v3/time').length - timeBefore, c.expected.timeSyncs, 'clock resyncs');
      if (c.expected.retryAfter) {
        if (!(err instanceof VenueRateLimitedError)) throw err;
        const expected = c.expected.retryAfter === 'ban' ? banUntil - Date.now() : BACKOFF.initialMs;
        t.ok(Math.abs(err.retryAfterMs - expected) < 2_000, `retryAfterMs ${err.retryAfterMs} ≈ ${expected}`);
        const sent = server.requests.length;
        const again = await rejectionOf(venue.balances());
        t.type(again, VenueRateLimitedError, 'the next call is refused locally');
        t.equal(server.requests.length, sent, 'without a request to the venue');
      }
    });
  }
});

t.test('-1021 once: resync, retry with the same client order id, success', async (t) => {
  const { server, venue } = await setup(t);
  const c = fixtures.newOrder.cases[1];
  if (!c) throw new Error('fixture missing');
  server.reply(
    ROUTES.placeOrder,
    { status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } },
    { status: 200, body: c.response },
  );
  t.same(await venue.placeOrder(c.request), c.expected);
  const sent = server.requestsTo(ROUTES.placeOrder);
  t.same(
    sent.map((r) => r.params.get('newClientOrderId')),
    [c.request.clientOrderId, c.request.clientOrderId],
  );
  t.equal(server.requestsTo('GET /api/v3/time').length, 2, 'start-up sync and one resync');
});

t.test('connection refused before anything was sent → VenueUnavailableError', async (t) => {
  const { server, venue } = await setup(t);
  const url = server.url;
  await server.close();
  t.type(await rejectionOf(venue.placeOrder(ANY_ORDER)), VenueUnavailableError);
  const start = rejectionOf(createBinanceVenue({ apiKey: API_KEY, apiSecret: API_SECRET, kind: 'paper', baseUrl: url }));
  t.type(await start, VenueUnavailableError, 'at start-up too');
});

t.test('executionReport events over the WebSocket API map to exact reports', async (t) => {
  const { server, venue } = await setup(t);
  const reports: VenueOrderReport[] = [];
  let reconnects = 0;
  const unsubscribe = await venue.subscribe({ onReport: (r) => reports.push(r), onReconnect: () => reconnects++ });
  t.teardown(unsubscribe);
  t.equal(server.subscriptions, 1);
  for (const c of fixtures.executionReports.cases) server.push(c.event);
  await eventually(() => (reports.length === fixtures.executionReports.cases.length ? true : undefined), 5_000, 'all reports', 25);
  t.same(
    reports,
    fixtures.executionReports.cases.map((c) => c.expected),
  );

  // A report that cannot be read is a report missed: the caller is told to poll.
  for (const [i, m] of fixtures.executionReports.malformed.entries()) {
    server.push(m.event);
    await eventually(() => (reconnects === i + 1 ? true : undefined), 5_000, `poll request after: ${m.name}`, 25);
  }
  t.equal(reports.length, fixtures.executionReports.cases.length, 'no report from malformed events');

  // Balance events pass by without a report.
  server.push({ e: 'outboundAccountPosition', E: 1, u: 1, B: [{ a: 'BTC', f: '1.00000000', l: '0.00000000' }] });
  const last = fixtures.executionReports.cases[0];
  if (!last) throw new Error('fixture missing');
  server.push(last.event);
  await eventually(
    () => (reports.length === fixtures.executionReports.cases.length + 1 ? true : undefined),
    5_000,
    'report after the balance event',
    25,
  );
  t.same(reports.at(-1), last.expected);
});

t.test('a severed or terminated stream is re-subscribed with backoff and onReconnect fires', async (t) => {
  const { server, venue } = await setup(t, { userData: { reconnectInitialMs: 20, reconnectMaxMs: 100 } });
  const reports: VenueOrderReport[] = [];
  let reconnects = 0;
  const unsubscribe = await venue.subscribe({ onReport: (r) => reports.push(r), onReconnect: () => reconnects++ });
  t.equal(server.dropSockets(), 1);
  await eventually(() => (reconnects === 1 ? true : undefined), 5_000, 'onReconnect after a drop', 25);
  t.equal(server.subscriptions, 2, 'subscribed again');

  server.push({ e: 'eventStreamTerminated', E: Date.now() });
  await eventually(() => (reconnects === 2 ? true : undefined), 5_000, 'onReconnect after eventStreamTerminated', 25);
  t.equal(server.subscriptions, 3);

  const c = fixtures.executionReports.cases[1];
  if (!c) throw new Error('fixture missing');
  server.push(c.event);
  await eventually(() => reports[0], 5_000, 'a report on the new connection', 25);
  t.same(reports, [c.expected]);

  await unsubscribe();
  t.ok(await eventually(() => (server.openSockets() === 0 ? true : undefined), 5_000, 'the server to see the socket closed', 25));
  t.equal(reports.length, 1);
  t.equal(server.subscriptions, 3, 'no reconnect after unsubscribe');
});

t.test('one user-data subscription per client at a time', async (t) => {
  const { venue } = await setup(t);
  const handlers = { onReport: () => {}, onReconnect: () => {} };
  const unsubscribe = await venue.subscribe(handlers);
  t.match(await rejectionOf(venue.subscribe(handlers)), { name: 'AlreadySubscribedError' });
  await unsubscribe();
  const again = await venue.subscribe(handlers);
  await again();
});
