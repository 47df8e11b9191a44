// What the endpoints answer, beyond their shapes (the conformance suites check those): public trades
// and aggregates after users trade, ticker windows, cancel-replace in each mode, cancel
// restrictions, prevented-match queries, commission rates, and funding from the admin API.
import { createHmac } from 'node:crypto';
import t from 'tap';
import { getJson, withSim } from './fixtures/sim.ts';

type Json = Record<string, unknown>;
const MINUTE = 60_000;

function signer(url: string, apiKey: string, apiSecret: string) {
  // biome-ignore lint/suspicious/noExplicitAny: the assertions check the bodies
  return async (method: string, path: string, params: Record<string, string | number> = {}): Promise<{ status: number; body: any }> => {
    const q = new URLSearchParams({
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
      timestamp: String(Date.now()),
    }).toString();
    const sig = createHmac('sha256', apiSecret).update(q).digest('hex');
    const res = await fetch(`${url}${path}?${q}&signature=${sig}`, { method, headers: { 'X-MBX-APIKEY': apiKey } });
    return { status: res.status, body: await res.json() };
  };
}

t.test('trades, historicalTrades and aggTrades show users’ trades; an aggregate is one taker at one price', async (t) => {
  const sim = await withSim(t);
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const sellers = await Promise.all([1, 2].map(() => sim.admin.createAccount({ BTC: '1' })));
  const buyer = await sim.admin.createAccount({ USDT: '100000' });
  for (const s of sellers)
    await signer(sim.url, s.apiKey, s.apiSecret)('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.1',
      price: '60001',
    });
  const buy = await signer(sim.url, buyer.apiKey, buyer.apiSecret)('POST', '/api/v3/order', {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'IOC',
    quantity: '0.15',
    price: '60001',
  });
  const ids = (buy.body.fills as { tradeId: number }[]).map((f) => f.tradeId);
  t.equal(ids.length, 2, 'two makers, two trades');
  const recent: Json[] = await getJson(`${sim.url}/api/v3/trades?symbol=BTCUSDT&limit=1000`);
  t.match(
    recent.filter((x) => ids.includes(Number(x.id))),
    [
      { price: '60001.00000000', qty: '0.10000000', quoteQty: '6000.10000000', isBuyerMaker: false, isBestMatch: true },
      { price: '60001.00000000', qty: '0.05000000', isBuyerMaker: false },
    ],
  );
  const historical: Json[] = await getJson(`${sim.url}/api/v3/historicalTrades?symbol=BTCUSDT&fromId=${ids[0]}&limit=2`);
  t.same(
    historical.map((x) => x.id),
    ids,
  );
  const aggs: Json[] = await getJson(`${sim.url}/api/v3/aggTrades?symbol=BTCUSDT&fromId=${ids[0]}&limit=1`);
  t.same(
    aggs,
    [{ a: ids[0], p: '60001.00000000', q: '0.15000000', f: ids[0], l: ids[1], T: aggs[0]?.T, m: false, M: true }],
    'one aggregate of both fills',
  );
  t.match(await fetch(`${sim.url}/api/v3/aggTrades?symbol=BTCUSDT&fromId=1&startTime=1`).then((r) => r.json()), { code: -1128 });
});

t.test('tickers: rolling windows open on a minute, trading days in a time zone, MINI, symbol lists', async (t) => {
  const sim = await withSim(t);
  const rolling = await getJson(`${sim.url}/api/v3/ticker?symbol=ETHUSDT&windowSize=2h`);
  t.equal(rolling.openTime % MINUTE, 0, 'opens on a minute');
  t.ok(
    rolling.closeTime - rolling.openTime >= 2 * 3_600_000 && rolling.closeTime - rolling.openTime < 2 * 3_600_000 + MINUTE,
    'up to 59 999 ms wider than asked',
  );
  t.match(await getJson(`${sim.url}/api/v3/ticker?symbol=ETHUSDT&windowSize=1d2h`), { code: -1130 });
  t.match(await getJson(`${sim.url}/api/v3/ticker?windowSize=1h`), { code: -1102 }, 'symbol or symbols is mandatory');
  const day = await getJson(`${sim.url}/api/v3/ticker/tradingDay?symbol=BTCUSDT&timeZone=8`);
  t.equal((day.openTime + 8 * 3_600_000) % 86_400_000, 0, 'the day starts at midnight UTC+8');
  t.equal(day.closeTime - day.openTime, 86_400_000 - 1);
  t.match(await getJson(`${sim.url}/api/v3/ticker/tradingDay?symbol=BTCUSDT&timeZone=15`), { code: -1130 });
  const mini = await getJson(`${sim.url}/api/v3/ticker/24hr?symbol=SOLUSDT&type=MINI`);
  t.notOk('priceChange' in mini, 'MINI has no price change');
  t.match(await getJson(`${sim.url}/api/v3/ticker/24hr?symbol=SOLUSDT&type=HUGE`), { code: -1139 });
  const two: Json[] = await getJson(`${sim.url}/api/v3/ticker/price?symbols=${encodeURIComponent('["BTCUSDT","ETHUSDT"]')}`);
  t.same(
    two.map((x) => x.symbol),
    ['BTCUSDT', 'ETHUSDT'],
  );
  t.match(await getJson(`${sim.url}/api/v3/ticker/price?symbols=${encodeURIComponent('["BTCUSDT","BTCUSDT"]')}`), { code: -1151 });
  t.match(await getJson(`${sim.url}/api/v3/ticker/price?symbol=BTCUSDT&symbols=${encodeURIComponent('["BTCUSDT"]')}`), { code: -1128 });
  const klines = await getJson(`${sim.url}/api/v3/klines?symbol=BTCUSDT&interval=1d&limit=2&timeZone=-5`);
  t.equal((klines[0][0] - 5 * 3_600_000 + 86_400_000 * 10) % 86_400_000, 0, 'daily klines open at midnight UTC-5');
  const depth = await getJson(`${sim.url}/api/v3/depth?symbol=BTCUSDT&limit=6000`);
  t.equal(depth.bids.length, 20, 'a limit over 5000 is capped; the book has 20 market-maker levels');
});

t.test('cancel-replace: each mode, each outcome, with Binance’s codes and statuses', async (t) => {
  const sim = await withSim(t);
  const acct = await sim.admin.createAccount({ USDT: '10000' });
  const call = signer(sim.url, acct.apiKey, acct.apiSecret);
  const resting = (price: string) =>
    call('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price });
  const replace = (cancelOrderId: number, mode: string, price: string, extra: Record<string, string> = {}) =>
    call('POST', '/api/v3/order/cancelReplace', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price,
      cancelReplaceMode: mode,
      cancelOrderId,
      ...extra,
    });
  const a = (await resting('30000')).body;
  const ok = await replace(Number(a.orderId), 'STOP_ON_FAILURE', '30001');
  t.match(ok, {
    status: 200,
    body: {
      cancelResult: 'SUCCESS',
      newOrderResult: 'SUCCESS',
      cancelResponse: { status: 'CANCELED' },
      newOrderResponse: { status: 'NEW', price: '30001.00000000' },
    },
  });
  const failedCancel = await replace(Number(a.orderId), 'STOP_ON_FAILURE', '30002');
  t.same(failedCancel, {
    status: 400,
    body: {
      code: -2022,
      msg: 'Order cancel-replace failed.',
      data: {
        cancelResult: 'FAILURE',
        newOrderResult: 'NOT_ATTEMPTED',
        cancelResponse: { code: -2011, msg: 'Unknown order sent.' },
        newOrderResponse: null,
      },
    },
  });
  const allowFailure = await replace(Number(a.orderId), 'ALLOW_FAILURE', '30003');
  t.match(allowFailure, {
    status: 409,
    body: { code: -2021, data: { cancelResult: 'FAILURE', newOrderResult: 'SUCCESS', newOrderResponse: { status: 'NEW' } } },
  });
  const b = Number((ok.body.newOrderResponse as Json).orderId);
  const badNew = await replace(b, 'STOP_ON_FAILURE', '30000.001');
  t.match(badNew, {
    status: 409,
    body: {
      code: -2021,
      data: { cancelResult: 'SUCCESS', newOrderResult: 'FAILURE', newOrderResponse: { code: -1013, msg: 'Filter failure: PRICE_FILTER' } },
    },
  });
  const both = await replace(b, 'ALLOW_FAILURE', '30000.001');
  t.match(both, { status: 400, body: { code: -2022, data: { cancelResult: 'FAILURE', newOrderResult: 'FAILURE' } } });
  const open: Json[] = (await call('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body;
  t.same(
    open.map((o) => o.price),
    ['30003.00000000'],
    'only the order placed by the ALLOW_FAILURE call is left',
  );
  t.match(
    await call('DELETE', '/api/v3/order', {
      symbol: 'BTCUSDT',
      orderId: Number(open[0]?.orderId),
      cancelRestrictions: 'ONLY_PARTIALLY_FILLED',
    }),
    {
      status: 400,
      body: { code: -2011, msg: 'Order was not canceled due to cancel restrictions.' },
    },
  );
  t.match(
    await call('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: Number(open[0]?.orderId), cancelRestrictions: 'SOMETIMES' }),
    { body: { code: -1145 } },
  );
  t.match(await call('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: Number(open[0]?.orderId), cancelRestrictions: 'ONLY_NEW' }), {
    status: 200,
    body: { status: 'CANCELED' },
  });
});

t.test('prevented matches are queried by id or by order; commission rates follow the BNB setting', async (t) => {
  const sim = await withSim(t);
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const acct = await sim.admin.createAccount({ USDT: '100000', BTC: '1' });
  const call = signer(sim.url, acct.apiKey, acct.apiSecret);
  const maker = (
    await call('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '60001',
    })
  ).body;
  const taker = (
    await call('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '60001',
      selfTradePreventionMode: 'EXPIRE_BOTH',
    })
  ).body;
  t.match(taker, {
    status: 'EXPIRED_IN_MATCH',
    preventedQuantity: '0.01000000',
    preventedMatches: [{ makerOrderId: maker.orderId, takerPreventedQuantity: '0.01000000', makerPreventedQuantity: '0.01000000' }],
  });
  const byOrder = await call('GET', '/api/v3/myPreventedMatches', { symbol: 'BTCUSDT', orderId: Number(maker.orderId) });
  t.match(
    byOrder.body,
    [{ takerOrderId: taker.orderId, makerOrderId: maker.orderId, selfTradePreventionMode: 'EXPIRE_BOTH', tradeGroupId: -1 }],
    'found from the maker’s side too',
  );
  const id = Number((byOrder.body[0] as Json).preventedMatchId);
  t.match((await call('GET', '/api/v3/myPreventedMatches', { symbol: 'BTCUSDT', preventedMatchId: id })).body, [{ preventedMatchId: id }]);
  t.match(await call('GET', '/api/v3/myPreventedMatches', { symbol: 'BTCUSDT' }), { status: 400, body: { code: -1128 } });
  t.match((await call('GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: Number(maker.orderId) })).body, {
    status: 'EXPIRED_IN_MATCH',
    preventedMatchId: id,
    preventedQuantity: '0.01000000',
  });

  t.match((await call('GET', '/api/v3/account/commission', { symbol: 'BTCUSDT' })).body, {
    standardCommission: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
    discount: { enabledForAccount: false, enabledForSymbol: true, discountAsset: 'BNB', discount: '0.75000000' },
  });
  await sim.admin.setPayFeesInBnb(acct.apiKey, true);
  t.match(
    (
      await call('POST', '/api/v3/order/test', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '0.01',
        computeCommissionRates: 'true',
      })
    ).body,
    {
      standardCommissionForOrder: { maker: '0.00100000', taker: '0.00100000' },
      discount: { enabledForAccount: true },
    },
  );
  t.match((await call('GET', '/api/v3/account')).body, { makerCommission: 10, commissionRates: { maker: '0.00100000' } });
});

t.test('admin funding: deposits and withdrawals move free balances and refuse what is not there', async (t) => {
  const sim = await withSim(t);
  const acct = await sim.admin.createAccount({ USDT: '100' });
  t.same(await sim.admin.deposit(acct.apiKey, 'BNB', '2.5'), { asset: 'BNB', free: '2.50000000', locked: '0.00000000' });
  t.same(await sim.admin.withdraw(acct.apiKey, 'USDT', '40'), { asset: 'USDT', free: '60.00000000', locked: '0.00000000' });
  await t.rejects(sim.admin.withdraw(acct.apiKey, 'USDT', '60.00000001'), /failed with 400: .*not enough free USDT/);
  await t.rejects(sim.admin.deposit(acct.apiKey, 'USDT', '-1'), /failed with 400/);
  await t.rejects(sim.admin.deposit('nobody', 'USDT', '1'), /failed with 404/);
  t.match(await sim.admin.balances(acct.apiKey), [{ asset: 'USDT', free: '60.00000000' }]);
});
