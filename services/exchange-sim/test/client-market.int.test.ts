// Public endpoints through the real node-binance-api client (and raw fetch where the client
// reshapes the answer).
import t from 'tap';
import { balanceOf, binanceError, clientFor, getJson, withSim } from './fixtures/sim.ts';

t.test('exchangeInfo lists the four symbols with Binance filters', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount());
  const info = await client.exchangeInfo();
  t.same(
    info.symbols.map((s: { symbol: string }) => s.symbol),
    ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'],
  );
  const btc = info.symbols[0];
  t.match(btc, { status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT', baseAssetPrecision: 8, quoteAssetPrecision: 8 });
  t.ok(btc.orderTypes.includes('STOP_LOSS_LIMIT') && btc.orderTypes.includes('MARKET'));
  const filter = (type: string) => btc.filters.find((f: { filterType: string }) => f.filterType === type);
  t.same(filter('PRICE_FILTER'), {
    filterType: 'PRICE_FILTER',
    minPrice: '0.01000000',
    maxPrice: '1000000.00000000',
    tickSize: '0.01000000',
  });
  t.same(filter('LOT_SIZE'), { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' });
  t.match(filter('NOTIONAL'), { minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000' });
  const one = await getJson(`${sim.url}/api/v3/exchangeInfo?symbol=ETHUSDT`);
  t.same(
    one.symbols.map((s: { symbol: string }) => s.symbol),
    ['ETHUSDT'],
  );
});

t.test('ping, time, prices, 24h ticker, book ticker, depth', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount());
  t.same(await client.ping(), {});
  const { serverTime } = await client.time();
  t.ok(Math.abs(serverTime - Date.now()) < 1000);
  const prices = await client.prices();
  t.same(Object.keys(prices).sort(), ['BNBUSDT', 'BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
  await sim.admin.pinPrice('ETHUSDT', '3100.00');
  t.same(await getJson(`${sim.url}/api/v3/ticker/price?symbol=ETHUSDT`), { symbol: 'ETHUSDT', price: '3100.00000000' });
  const day = (await client.prevDay('ETHUSDT')) as { highPrice: string; lowPrice: string };
  t.match(day, { symbol: 'ETHUSDT', lastPrice: '3100.00000000' });
  t.ok(Number(day.highPrice) >= Number(day.lowPrice));
  const book = await getJson(`${sim.url}/api/v3/ticker/bookTicker?symbol=ETHUSDT`);
  t.ok(Number(book.bidPrice) < 3100 && Number(book.askPrice) > 3100, 'the spread straddles the pinned price');
  t.ok(Number(book.askPrice) / Number(book.bidPrice) - 1 < 0.0002, 'about one basis point wide');
  const depth = await getJson(`${sim.url}/api/v3/depth?symbol=ETHUSDT&limit=5`);
  t.equal(depth.bids.length, 5);
  t.equal(depth.asks.length, 5);
  t.ok(Number(depth.bids[0][0]) > Number(depth.bids[4][0]) && Number(depth.asks[0][0]) < Number(depth.asks[4][0]));
  t.match(await binanceError(client.prices('NOPE')), { code: -1121, msg: 'Invalid symbol.' });
});

t.test('klines: 1m and 1w in Binance array format', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount());
  const minutes = await client.candlesticks('BTCUSDT', '1m', { limit: 10 });
  t.equal(minutes.length, 10);
  for (const c of minutes) {
    t.equal(c.openTime % 60_000, 0);
    t.equal(c.closeTime, c.openTime + 59_999);
    t.match(c.open, /^\d+\.\d{8}$/);
    t.ok(Number(c.high) >= Math.max(Number(c.open), Number(c.close)) && Number(c.low) <= Math.min(Number(c.open), Number(c.close)));
  }
  const raw = await getJson(`${sim.url}/api/v3/klines?symbol=BTCUSDT&interval=1w&limit=500`);
  t.equal(raw.length, 500, '500 weekly candles');
  t.equal(raw[0].length, 12);
  t.match(raw[0], [Number, String, String, String, String, String, Number, String, Number, String, String, '0']);
  for (let i = 1; i < raw.length; i++) if (raw[i][0] - raw[i - 1][0] !== 7 * 86_400_000) t.fail(`gap at ${i}`);
  t.ok(
    raw.every((r: unknown[]) => new Date(r[0] as number).getUTCDay() === 1),
    'Mondays',
  );
  t.match(await binanceError(client.candlesticks('BTCUSDT', '7m' as '1m')), { code: -1120 });
  const tooMany = await fetch(`${sim.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1001`);
  t.equal(tooMany.status, 400);
});

t.test('unknown routes are 404', async (t) => {
  const sim = await withSim(t);
  t.equal((await fetch(`${sim.url}/api/v3/nothing`)).status, 404);
  t.equal((await fetch(`${sim.url}/api/v3/order`, { method: 'PATCH' })).status, 404);
});

t.test('a fresh account holds the configured starting USDT', async (t) => {
  const sim = await withSim(t, { startingUsdt: '12345.67' });
  const client = clientFor(sim, await sim.admin.createAccount());
  t.same(await balanceOf(client, 'USDT'), { free: '12345.67000000', locked: '0.00000000' });
  const account = await client.account();
  t.match(account, { canTrade: true, commissionRates: { maker: '0.00100000', taker: '0.00100000' }, makerCommission: 10 });
});
