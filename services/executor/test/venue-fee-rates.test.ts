// A fee charged in a third asset (BNB) gets the venue's price of that asset in the quote asset on
// its fill (issue 18, defect 2). The simulator does not charge BNB fees yet, so recorded Binance
// payloads are served by the local fixture venue to the real node-binance-api, through the adapter.
import t, { type Test } from 'tap';
import { createBinanceVenue } from '../src/venue/index.ts';
import { type VenueClient, type VenueOrderReport, VenueRejectedError, VenueUnavailableError } from '../src/venue/types.ts';
import { fixtures } from './fixtures/binance-fixtures.ts';
import { FixtureVenue } from './fixtures/fixture-venue.ts';
import { rejectionOf } from './fixtures/rejection.ts';
import { eventually } from '@blotter/test-kit/procs';

const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const API_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const ROUTE = { order: 'POST /api/v3/order', info: 'GET /api/v3/exchangeInfo', ticker: 'GET /api/v3/ticker/price' } as const;

// The documented BTCUSDT listing, and the same filters for BNBUSDT and USDTTRY (a pair whose base is
// the quote asset: a fee in TRY is priced through its inverse).
type Listing = { symbol: string; baseAsset: string; quoteAsset: string };
const listings = (fixtures.exchangeInfo.response as { symbols: Listing[] }).symbols;
const btc = listings.find((s) => s.symbol === 'BTCUSDT');
if (!btc) throw new Error('fixture missing');
const exchangeInfo = {
  ...(fixtures.exchangeInfo.response as object),
  symbols: [btc, { ...btc, symbol: 'BNBUSDT', baseAsset: 'BNB' }, { ...btc, symbol: 'USDTTRY', baseAsset: 'USDT', quoteAsset: 'TRY' }],
};

const partial = fixtures.newOrder.cases[2];
if (!partial) throw new Error('fixture missing');
/** The documented partial fill, with its second fill's commission paid in `asset`. */
function chargedIn(asset: string, commission: string) {
  const response = structuredClone(partial?.response) as { fills: { commission: string; commissionAsset: string }[] };
  const second = response.fills[1];
  if (second) Object.assign(second, { commission, commissionAsset: asset });
  return response;
}

async function setup(t: Test): Promise<{ server: FixtureVenue; venue: VenueClient }> {
  const server = await FixtureVenue.start(API_SECRET);
  t.teardown(() => server.close());
  const venue = await createBinanceVenue({ apiKey: API_KEY, apiSecret: API_SECRET, kind: 'paper', baseUrl: server.url });
  t.teardown(() => venue.close());
  return { server, venue };
}

const feesOf = (r: VenueOrderReport) =>
  r.fills.map(({ tradeId, fee, feeAsset, feeQuoteRate }) => ({ tradeId, fee, feeAsset, feeQuoteRate }));

t.test('a fill charged in BNB carries the venue price of BNBUSDT; base and quote fees need no price', async (t) => {
  const { server, venue } = await setup(t);
  server.reply(ROUTE.order, { status: 200, body: chargedIn('BNB', '0.00169000') });
  server.reply(ROUTE.info, { status: 200, body: exchangeInfo });
  server.reply(ROUTE.ticker, { status: 200, body: { symbol: 'BNBUSDT', price: '612.50000000' } });
  const report = await venue.placeOrder(partial.request);
  t.same(feesOf(report), [
    { tradeId: '3100001', fee: '0.000012', feeAsset: 'BTC', feeQuoteRate: undefined },
    { tradeId: '3100002', fee: '0.00169', feeAsset: 'BNB', feeQuoteRate: '612.5' },
  ]);
  t.same(
    server.requestsTo(ROUTE.ticker).map((r) => r.params.get('symbol')),
    ['BNBUSDT'],
    'one price request, for the pair',
  );

  server.reply(ROUTE.order, { status: 200, body: partial.response });
  t.same(await venue.placeOrder(partial.request), partial.expected, 'fees in BTC: the report as before');
  t.equal(server.requestsTo(ROUTE.ticker).length, 1, 'and no price asked');
  t.equal(server.requestsTo(ROUTE.info).length, 1, 'exchangeInfo is cached');
});

t.test('a fee asset priced only against it (USDTTRY) gets the inverse; one the venue does not trade gets none', async (t) => {
  const { server, venue } = await setup(t);
  server.reply(ROUTE.info, { status: 200, body: exchangeInfo });
  server.reply(ROUTE.order, { status: 200, body: chargedIn('TRY', '0.5') });
  server.reply(ROUTE.ticker, { status: 200, body: { symbol: 'USDTTRY', price: '32' } });
  t.match(feesOf(await venue.placeOrder(partial.request))[1], { feeAsset: 'TRY', feeQuoteRate: '0.03125' });
  server.reply(ROUTE.order, { status: 200, body: chargedIn('XYZ', '3') });
  const unpriced = feesOf(await venue.placeOrder(partial.request))[1];
  t.same(unpriced, { tradeId: '3100002', fee: '3', feeAsset: 'XYZ', feeQuoteRate: undefined }, 'recorded without a rate');
  t.equal(server.requestsTo(ROUTE.ticker).length, 1, 'nothing asked for XYZ');
});

t.test('a price the venue refuses to give is not the order being refused', async (t) => {
  const { server, venue } = await setup(t);
  server.reply(ROUTE.info, { status: 200, body: exchangeInfo });
  server.reply(ROUTE.order, { status: 200, body: chargedIn('BNB', '0.00169000') });
  server.reply(ROUTE.ticker, { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
  const err = await rejectionOf(venue.placeOrder(partial.request));
  t.type(err, VenueUnavailableError, 'the executor looks the order up later instead of recording a rejection');
  t.notOk(err instanceof VenueRejectedError);
});

t.test('user-data reports are priced and delivered in the order they came', async (t) => {
  const { server, venue } = await setup(t);
  const reports: VenueOrderReport[] = [];
  const unsubscribe = await venue.subscribe({ onReport: (r) => reports.push(r), onReconnect: () => {} });
  t.teardown(unsubscribe);
  const [, trade, , canceled] = fixtures.executionReports.cases;
  if (!trade || !canceled) throw new Error('fixture missing');
  server.reply(ROUTE.info, { status: 200, body: exchangeInfo });
  server.reply(ROUTE.ticker, { status: 200, body: { symbol: 'BNBUSDT', price: '600.1' } });
  // The trade waits for two requests; the cancel that follows must still come after it.
  server.push({ ...(trade.event as object), n: '0.00130000', N: 'BNB' });
  server.push(canceled.event);
  await eventually(() => (reports.length === 2 ? true : undefined), 5_000, 'both reports', 25);
  t.same(
    reports.map((r) => r.status),
    [trade.expected.status, canceled.expected.status],
  );
  t.match(reports[0]?.fills, [{ fee: '0.0013', feeAsset: 'BNB', feeQuoteRate: '600.1' }]);

  // A trade that cannot be priced is dropped (the poll records it), and later reports still flow.
  server.push({ ...(trade.event as object), n: '0.00130000', N: 'BNB' });
  server.push(canceled.event);
  await eventually(() => (reports.length === 3 ? true : undefined), 5_000, 'the report after the unpriced one', 25);
  t.equal(reports[2]?.status, canceled.expected.status);
});
