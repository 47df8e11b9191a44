// Conformance with node-binance-api (Blotter's own venue client), unchanged, HMAC-signed: a whole
// trading session over REST, the user-data stream of the WebSocket API and market streams, raw
// answers checked against the examples in Binance's docs, and its depth cache — which keeps a local
// order book from a /depth snapshot plus the diff-depth stream exactly as Binance's docs describe —
// agreeing with the simulator's book.
import Big from 'big.js';
import t from 'tap';
import { conformance } from './fixtures/shapes.ts';
import { binanceError, clientFor, withSim } from './fixtures/sim.ts';
import { eventually } from '@blotter/test-kit/procs';

const d = (s: string) => s as unknown as number;
type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

t.test('node-binance-api: a whole session over REST, the user-data stream and market streams', async (t) => {
  const sim = await withSim(t);
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const account = await sim.admin.createAccount({ USDT: '100000', BTC: '1' });
  const other = await sim.admin.createAccount({ BTC: '1' });
  const client = clientFor(sim, account);
  const seller = clientFor(sim, other);
  const check = (name: string, answer: unknown) => {
    const { problems, where } = conformance(name, answer);
    t.same(problems, [], `${name} has the shape of ${where}`);
  };

  // ---- market data -------------------------------------------------------------------------
  t.same(await client.ping(), {});
  check('rest.time', await client.time());
  check('rest.exchangeInfo', await client.exchangeInfo());
  check('rest.avgPrice', await client.avgPrice('BTCUSDT'));
  check('rest.ticker24hr', await client.prevDay('BTCUSDT'));
  // The market makers' first trades come with the market's first tick: wait for them, not for a clock.
  const nonEmpty = async <T>(read: () => Promise<T[]>): Promise<T[] | undefined> => {
    const list = await read();
    return list.length > 0 ? list : undefined;
  };
  check('rest.trades', await eventually(() => nonEmpty(() => client.recentTrades('BTCUSDT', 5)), 20_000, 'a public trade', 25));
  check(
    'rest.historicalTrades',
    await eventually(() => nonEmpty(() => client.historicalTrades('BTCUSDT', 5)), 20_000, 'a historical trade', 25),
  );
  const prices = await client.prices('BTCUSDT');
  t.equal(Number(prices.BTCUSDT), 60000, 'the pinned price');
  const book = await client.depth('BTCUSDT', 5);
  t.match(
    book,
    { symbol: 'BTCUSDT', lastUpdateId: Number, bids: [{ price: '59997.00000000' }], asks: [{ price: '60003.00000000' }] },
    'the market maker quotes 0.5 bp either side',
  );
  t.equal(book.bids.length, 5);
  const candles = await client.candlesticks('BTCUSDT', '1m', { limit: 3 });
  t.equal((candles as unknown[]).length, 3);

  // ---- market streams, and the depth cache kept from the diff stream ---------------------
  const trades: Json[] = [];
  const klines: Json[] = [];
  const tradeUrl = client.websockets.trades('BTCUSDT', (x: unknown) => isJson(x) && trades.push(x));
  const klineUrl = client.websockets.candlesticks('BTCUSDT', '1m', (x: unknown) => isJson(x) && klines.push(x));
  const engineBook = sim.simulator.exchange.book('BTCUSDT');
  let agreed = 0;
  let disagreed = '';
  const depthUrl = client.websockets.depthCache(
    'BTCUSDT',
    (_symbol: string, cache: { bids: Record<string, number>; asks: Record<string, number> }, context?: { lastEventUpdateId?: number }) => {
      // Only when the cache has seen every change so far can it be compared with the book itself.
      if (context?.lastEventUpdateId !== engineBook.updateId) return;
      const mine = (side: Record<string, number>) =>
        Object.keys(side)
          .map((p) => new Big(p).toString())
          .sort();
      const venue = (s: 'BUY' | 'SELL') =>
        engineBook
          .depth(s, 5000)
          .map(([p]) => p.toString())
          .sort();
      const same =
        JSON.stringify(mine(cache.bids)) === JSON.stringify(venue('BUY')) &&
        JSON.stringify(mine(cache.asks)) === JSON.stringify(venue('SELL'));
      if (same) agreed++;
      else
        disagreed = `cache ${mine(cache.bids).length}/${mine(cache.asks).length} levels, venue ${venue('BUY').length}/${venue('SELL').length}`;
    },
  );
  t.teardown(() => {
    for (const url of [tradeUrl, klineUrl, depthUrl]) client.websockets.terminate(url);
  });
  check('stream.trade', await eventually(() => trades[0], 5_000, 'a trade', 25));
  check('stream.kline', await eventually(() => klines[0], 5_000, 'a kline', 25));
  await eventually(() => (agreed >= 3 ? true : undefined), 15_000, `the depth cache to agree with the book three times (${disagreed})`, 25);
  t.equal(disagreed, '', 'the local book never disagreed with the venue');

  // ---- the user-data stream ----------------------------------------------------------------
  const events: Json[] = [];
  let subscribed = false;
  client.websockets.userData(
    (e: unknown) => isJson(e) && events.push(e),
    undefined,
    undefined,
    () => {
      subscribed = true;
    },
  );
  t.teardown(() => client.terminateWsApi('userData', false));
  await eventually(() => (subscribed ? true : undefined), 5_000, 'subscription', 25);
  const reports = (orderId: number) => events.filter((e) => e.e === 'executionReport' && e.i === orderId);
  const seen = (orderId: number, x: string) => eventually(() => reports(orderId).find((e) => e.x === x), 5_000, `${x} of ${orderId}`, 25);

  // ---- a resting order, queried, partly filled by another account, canceled ---------------
  const resting = await client.buy('BTCUSDT', d('0.01'), d('59999.00'), { newClientOrderId: 'nba-1' });
  check('rest.orderFull', resting);
  t.match(resting, { status: 'NEW', fills: [] });
  check('user.executionReport', { subscriptionId: 0, event: await seen(resting.orderId, 'NEW') });
  check('rest.order', await client.orderStatus('BTCUSDT', undefined, { origClientOrderId: 'nba-1' }));
  check('rest.openOrders', await client.openOrders('BTCUSDT'));
  const sold = await seller.sell('BTCUSDT', d('0.004'), d('59999.00'), { timeInForce: 'IOC' });
  t.match(sold, { status: 'FILLED', fills: [{ price: '59999.00000000', commission: '0.23999600', commissionAsset: 'USDT' }] });
  t.match(await seen(resting.orderId, 'TRADE'), { X: 'PARTIALLY_FILLED', l: '0.00400000', m: true, n: '0.00000400', N: 'BTC' });
  const canceled = await client.cancel('BTCUSDT', resting.orderId);
  check('rest.cancel', canceled);
  t.match(await seen(resting.orderId, 'CANCELED'), { X: 'CANCELED', z: '0.00400000' });

  // ---- a crossing order: fills and commissions --------------------------------------------
  const taken = await client.marketBuy('BTCUSDT', d('0.05'));
  check('rest.orderFull', taken);
  const fills = taken.fills as { price: string; qty: string; commission: string; commissionAsset: string; tradeId: number }[];
  t.ok(
    fills.length > 0 && fills.every((f) => f.commissionAsset === 'BTC' && f.commission === new Big(f.qty).times('0.001').toFixed(8)),
    'taker fees: 0.1 % in BTC',
  );
  await eventually(() => (reports(taken.orderId).some((e) => e.X === 'FILLED') ? true : undefined), 5_000, 'the last fill', 25);
  t.same(
    reports(taken.orderId).map((e) => `${e.x}:${e.t}`),
    ['NEW:-1', ...fills.map((f) => `TRADE:${f.tradeId}`)],
    'one NEW, then one TRADE per fill with its trade id',
  );
  const myTrades = await client.myTrades('BTCUSDT', { orderId: taken.orderId });
  check('rest.myTrades', myTrades);
  t.same(
    myTrades.map((x: { id: number }) => x.id),
    fills.map((f) => f.tradeId),
  );

  // ---- a test order, bad orders, account data --------------------------------------------
  t.same(await client.order('LIMIT', 'BUY', 'BTCUSDT', d('0.01'), d('59000.00'), { test: true }), {});
  t.match(await binanceError(client.buy('BTCUSDT', d('0.01'), d('59000.001'))), { code: -1013, msg: 'Filter failure: PRICE_FILTER' });
  t.match(await binanceError(client.buy('BTCUSDT', d('10'), d('59000.00'))), {
    code: -2010,
    msg: 'Account has insufficient balance for requested action.',
  });
  t.match(await binanceError(client.cancel('BTCUSDT', 12345)), { code: -2011, msg: 'Unknown order sent.' });
  await client.buy('BTCUSDT', d('0.01'), d('59000.00'));
  check('rest.cancelAll', await client.cancelAll('BTCUSDT'));
  check('rest.allOrders', await client.allOrders('BTCUSDT'));
  const info = await client.account();
  check('rest.account', info);
  const position = await eventually(() => events.filter((e) => e.e === 'outboundAccountPosition').at(-1), 5_000, 'a position', 25);
  check('user.outboundAccountPosition', { subscriptionId: 0, event: position });
  const usdt = (info.balances as { asset: string; free: string; locked: string }[]).find((b) => b.asset === 'USDT');
  t.same(
    usdt,
    {
      asset: 'USDT',
      free: new Big('100000').minus(taken.cummulativeQuoteQty).minus(new Big('59999').times('0.004')).toFixed(8),
      locked: '0.00000000',
    },
    'balances add up',
  );
});
