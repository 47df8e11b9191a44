// Order placement and matching through the real node-binance-api client.
import { setTimeout as sleep } from 'node:timers/promises';
import Big from 'big.js';
import t from 'tap';
import { balanceOf, binanceError, clientFor, withSim } from './fixtures/sim.ts';

// The d.ts types quantities and prices as numbers; we send exact decimal strings, as Blotter does.
const d = (s: string) => s as unknown as number;
type Fill = { price: string; qty: string; commission: string; commissionAsset: string; tradeId: number };

t.test('MARKET buy fills with fills[], fee in base, balances move exactly', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '100000' }));
  const res = await client.marketBuy('BTCUSDT', d('0.5'), { newClientOrderId: 'mkt-1' });
  t.match(res, {
    symbol: 'BTCUSDT',
    clientOrderId: 'mkt-1',
    status: 'FILLED',
    type: 'MARKET',
    side: 'BUY',
    origQty: '0.50000000',
    executedQty: '0.50000000',
  });
  const fills = res.fills as Fill[];
  t.ok(fills.length >= 1);
  const qty = fills.reduce((s, f) => s.plus(f.qty), new Big(0));
  const quote = fills.reduce((s, f) => s.plus(new Big(f.qty).times(f.price)), new Big(0));
  const fee = fills.reduce((s, f) => s.plus(f.commission), new Big(0));
  t.equal(qty.toFixed(8), '0.50000000');
  t.equal(quote.toFixed(8), res.cummulativeQuoteQty);
  for (const f of fills) {
    t.equal(f.commissionAsset, 'BTC');
    t.equal(f.commission, new Big(f.qty).times('0.001').toFixed(8));
  }
  t.same(await balanceOf(client, 'BTC'), { free: qty.minus(fee).toFixed(8), locked: '0.00000000' });
  t.same(await balanceOf(client, 'USDT'), { free: new Big('100000').minus(quote).toFixed(8), locked: '0.00000000' });
});

t.test('MARKET sell by quoteOrderQty pays the fee in quote', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ ETH: '2' }));
  const res = (await client.marketSellWithCost('ETHUSDT', d('100'))) as Awaited<ReturnType<typeof client.marketSellWithCost>> & {
    origQuoteOrderQty: string;
  };
  t.equal(res.status, 'FILLED');
  t.equal(res.origQuoteOrderQty, '100.00000000');
  t.ok(new Big(res.cummulativeQuoteQty).lte(100));
  const fee = (res.fills as Fill[]).reduce((s, f) => s.plus(f.commission), new Big(0));
  t.equal((res.fills as Fill[])[0]?.commissionAsset, 'USDT');
  t.same(await balanceOf(client, 'USDT'), { free: new Big(res.cummulativeQuoteQty).minus(fee).toFixed(8), locked: '0.00000000' });
  t.same(await balanceOf(client, 'ETH'), { free: new Big(2).minus(res.executedQty).toFixed(8), locked: '0.00000000' });
});

t.test('LIMIT far from the price rests, shows in openOrders, cancels and unlocks', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '10000' }));
  const res = await client.buy('BTCUSDT', d('0.01'), d('30000.00'));
  t.match(res, { status: 'NEW', executedQty: '0.00000000', price: '30000.00000000', timeInForce: 'GTC' });
  t.same(await balanceOf(client, 'USDT'), { free: '9700.00000000', locked: '300.00000000' });
  const open = await client.openOrders('BTCUSDT');
  t.same(
    open.map((o: { orderId: number }) => o.orderId),
    [res.orderId],
  );
  t.match(open[0], { isWorking: true, status: 'NEW', origQty: '0.01000000' });
  const canceled = await client.cancel('BTCUSDT', res.orderId);
  t.match(canceled, { status: 'CANCELED', orderId: res.orderId, origClientOrderId: res.clientOrderId });
  t.same(await balanceOf(client, 'USDT'), { free: '10000.00000000', locked: '0.00000000' });
  t.same(await client.openOrders('BTCUSDT'), []);
  t.match(await binanceError(client.cancel('BTCUSDT', res.orderId)), { code: -2011, msg: 'Unknown order sent.' });
});

t.test('a resting LIMIT fills as maker at its price once pinPrice crosses it', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '1000' }));
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const res = await client.buy('BTCUSDT', d('0.01'), d('59000.00'), { newClientOrderId: 'cross-1' });
  t.equal(res.status, 'NEW');
  await sim.admin.pinPrice('BTCUSDT', '58000.00');
  const filled = await client.orderStatus('BTCUSDT', undefined, { origClientOrderId: 'cross-1' });
  t.match(filled, { status: 'FILLED', executedQty: '0.01000000', cummulativeQuoteQty: '590.00000000', orderId: res.orderId });
  const trades = await client.myTrades('BTCUSDT', { orderId: res.orderId });
  t.match(trades, [
    {
      orderId: res.orderId,
      price: '59000.00000000',
      qty: '0.01000000',
      isMaker: true,
      isBuyer: true,
      commission: '0.00001000',
      commissionAsset: 'BTC',
    },
  ]);
  t.same(await balanceOf(client, 'USDT'), { free: '410.00000000', locked: '0.00000000' });
  t.same(await balanceOf(client, 'BTC'), { free: '0.00999000', locked: '0.00000000' });
});

t.test('IOC fills what the book has within the limit and expires the rest; FOK all or nothing', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '2000000' }));
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const ioc = await client.buy('BTCUSDT', d('10'), d('60006.00'), { timeInForce: 'IOC' });
  t.equal(ioc.status, 'EXPIRED');
  t.ok(new Big(ioc.executedQty).gt(0) && new Big(ioc.executedQty).lt(10), `IOC executed ${ioc.executedQty}`);
  t.ok((ioc.fills as Fill[]).every((f) => new Big(f.price).lte('60006')));
  t.same(await balanceOf(client, 'USDT'), { free: new Big('2000000').minus(ioc.cummulativeQuoteQty).toFixed(8), locked: '0.00000000' });

  const fok = await client.buy('BTCUSDT', d('10'), d('60006.00'), { timeInForce: 'FOK' });
  t.match(fok, { status: 'EXPIRED', executedQty: '0.00000000', cummulativeQuoteQty: '0.00000000', fills: [] });
  t.same(await client.myTrades('BTCUSDT', { orderId: fok.orderId }), []);
  // The IOC took every ask up to 60006; the market maker re-quotes on the next 250 ms tick.
  await sleep(300);
  const fokFilled = await client.buy('BTCUSDT', d('0.01'), d('60006.00'), { timeInForce: 'FOK' });
  t.equal(fokFilled.status, 'FILLED');
});

t.test('a MARKET order larger than the book fills partially and ends EXPIRED', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '5000000' }));
  const res = await client.marketBuy('BTCUSDT', d('100'));
  t.equal(res.status, 'EXPIRED');
  t.ok(new Big(res.executedQty).gt(0) && new Big(res.executedQty).lt(100), `executed ${res.executedQty}`);
  t.equal((res.fills as Fill[]).length, 20, 'walked every level of the book');
  t.same(await balanceOf(client, 'USDT'), { free: new Big('5000000').minus(res.cummulativeQuoteQty).toFixed(8), locked: '0.00000000' });
});

t.test('duplicate newClientOrderId among open orders is rejected; reusable once closed', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '10000' }));
  const first = await client.buy('BTCUSDT', d('0.01'), d('30000.00'), { newClientOrderId: 'dup-1' });
  t.same(await binanceError(client.buy('BTCUSDT', d('0.01'), d('31000.00'), { newClientOrderId: 'dup-1' })), {
    code: -2010,
    msg: 'Duplicate order sent.',
  });
  t.equal((await sim.admin.orders(client.APIKEY as unknown as string, { clientOrderId: 'dup-1' })).length, 1);
  await client.cancel('BTCUSDT', first.orderId);
  const again = await client.buy('BTCUSDT', d('0.01'), d('31000.00'), { newClientOrderId: 'dup-1' });
  t.equal(again.status, 'NEW');
  t.match(await client.orderStatus('BTCUSDT', undefined, { origClientOrderId: 'dup-1' }), {
    orderId: again.orderId,
    price: '31000.00000000',
  });
  t.match(await client.orderStatus('BTCUSDT', first.orderId), { status: 'CANCELED' });
});

t.test('myTrades by orderId, fromId and limit', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '1000000' }));
  const big = await client.marketBuy('BTCUSDT', d('2'));
  const small = await client.marketBuy('BTCUSDT', d('0.01'));
  const bigFills = big.fills as Fill[];
  t.ok(bigFills.length > 1, 'the big order walked several levels');
  const ofBig = await client.myTrades('BTCUSDT', { orderId: big.orderId });
  t.same(
    ofBig.map((x: { id: number }) => x.id),
    bigFills.map((f) => f.tradeId),
  );
  t.ok(ofBig.every((x: { orderId: number }) => x.orderId === big.orderId));
  const all = await client.myTrades('BTCUSDT');
  t.equal(all.length, bigFills.length + (small.fills as Fill[]).length);
  const from = await client.myTrades('BTCUSDT', { fromId: bigFills[1]?.tradeId, limit: 2 });
  t.same(
    from.map((x: { id: number }) => x.id),
    [bigFills[1]?.tradeId, bigFills[2]?.tradeId ?? (small.fills as Fill[])[0]?.tradeId],
  );
  const orders = await client.allOrders('BTCUSDT');
  t.same(
    orders.map((o: { orderId: number }) => o.orderId),
    [big.orderId, small.orderId],
  );
});

t.test('rejections: balance, filters, symbol, bad params', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '100' }));
  const insufficient = { code: -2010, msg: 'Account has insufficient balance for requested action.' };
  t.same(await binanceError(client.buy('BTCUSDT', d('0.01'), d('50000.00'))), insufficient);
  t.same(await binanceError(client.marketBuy('BTCUSDT', d('0.01'))), insufficient);
  t.same(await binanceError(client.marketSell('BTCUSDT', d('0.01'))), insufficient);
  t.same(await binanceError(client.buy('BTCUSDT', d('0.001'), d('50000.001'))), { code: -1013, msg: 'Filter failure: PRICE_FILTER' });
  t.same(await binanceError(client.buy('BTCUSDT', d('0.000001'), d('50000.00'))), { code: -1013, msg: 'Filter failure: LOT_SIZE' });
  t.same(await binanceError(client.buy('BTCUSDT', d('0.00001'), d('50000.00'))), { code: -1013, msg: 'Filter failure: NOTIONAL' });
  t.same(await binanceError(client.buy('BTCUSDT', d('0.001'), d('500000.00'))), {
    code: -1013,
    msg: 'Filter failure: PERCENT_PRICE_BY_SIDE',
  });
  t.same(await binanceError(client.buy('DOGEUSDT', d('1'), d('0.1'))), { code: -1121, msg: 'Invalid symbol.' });
  t.match(
    await binanceError(client.buy('BTCUSDT', 1e-7, d('50000.00'))),
    { code: -1100, msg: /quantity/ },
    'JS number formatting 1e-7 is illegal',
  );
  t.same(await binanceError(client.buy('BTCUSDT', d('0.001000000'), d('50000.00'))), {
    code: -1111,
    msg: "Parameter 'quantity' has too much precision.",
  });
  t.same(await binanceError(client.order('LIMIT', 'BUY', 'BTCUSDT', d('0.001'), d('50000.00'), { timeInForce: 'GTD' })), {
    code: -1115,
    msg: 'Invalid timeInForce.',
  });
  t.same(await binanceError(client.marketBuy('BTCUSDT', d('0.001'), { price: '1' })), {
    code: -1106,
    msg: "Parameter 'price' sent when not required.",
  });
  t.same(await binanceError(client.orderStatus('BTCUSDT', 42)), { code: -2013, msg: 'Order does not exist.' });
  t.same(await binanceError(client.orderStatus('BTCUSDT')), {
    code: -1102,
    msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
  });
  t.same(await client.openOrders(), []);
});

t.test('order/test validates without booking anything', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount());
  t.same(await client.order('LIMIT', 'BUY', 'BTCUSDT', d('0.01'), d('30000.00'), { test: true }), {});
  t.same(await binanceError(client.order('LIMIT', 'BUY', 'BTCUSDT', d('0.01'), d('30000.001'), { test: true })), {
    code: -1013,
    msg: 'Filter failure: PRICE_FILTER',
  });
  t.same(await client.allOrders('BTCUSDT'), []);
});

t.test('cancelAll cancels every open order of a symbol', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount({ USDT: '10000' }));
  await client.buy('BTCUSDT', d('0.01'), d('30000.00'));
  await client.buy('BTCUSDT', d('0.01'), d('31000.00'));
  await client.buy('ETHUSDT', d('0.1'), d('1000.00'));
  const canceled = (await client.cancelAll('BTCUSDT')) as unknown as { status: string }[];
  t.same(
    canceled.map((o) => o.status),
    ['CANCELED', 'CANCELED'],
  );
  t.equal((await client.openOrders()).length, 1, 'the ETH order stays');
  t.same(await binanceError(client.cancelAll('BTCUSDT')), { code: -2011, msg: 'Unknown order sent.' });
  t.same(await balanceOf(client, 'USDT'), { free: '9900.00000000', locked: '100.00000000' });
});
