// An order's whole life through the real pieces: gateway → stream → executor → simulator (through
// node-binance-api) → stream → projector → read models, checked to the last decimal against the
// venue's own account.
import t from 'tap';
import { dec, str } from '@blotter/orders';
import { as, eventually, register, startStack } from '@blotter/test-kit';

const stack = await startStack(t, { executor: 'in-process' });
const { app, sim } = stack;

type Api = ReturnType<typeof as>;
const get = async (api: Api, url: string) => (await api({ method: 'GET', url })).json();
/** A price `factor` times the current one, on the tick grid (Binance refuses limits below 0.2x). */
async function priceAt(api: Api, symbol: string, factor: string): Promise<string> {
  const ticker = await eventually(async () => {
    const r = await api({ method: 'GET', url: `/api/market/${symbol}/ticker` });
    return r.statusCode === 200 ? (r.json() as { price: string }) : undefined;
  });
  return str(dec(ticker.price).times(factor).round(2));
}
const orderOf = (api: Api, id: string) => get(api, `/api/orders/${id}`).then((b) => b.order);
const finalStatus = (api: Api, id: string, statuses: string[]) =>
  eventually(
    async () => {
      const o = await orderOf(api, id);
      return statuses.includes(o.status) ? o : undefined;
    },
    20_000,
    `order ${id} to reach ${statuses.join('/')}`,
  );

/** The venue account of a user, from the simulator's admin API (by the stored paper key). */
async function venueBalances(userId: string): Promise<Record<string, string>> {
  const { loadVenueKeys, createKeyRing, parseKey } = await import('@blotter/accounts');
  const keys = await loadVenueKeys(app.accounts, createKeyRing(parseKey(stack.config.KEY_ENCRYPTION_KEY, 'K')), userId, 'paper');
  const account = (await sim.admin.balances(keys?.apiKey ?? '')) as { asset: string; free: string; locked: string }[];
  return Object.fromEntries(account.filter((b) => dec(b.free).plus(b.locked).gt(0)).map((b) => [b.asset, str(dec(b.free).plus(b.locked))]));
}

t.test('a MARKET buy fills; trade, balances and position are right to the last decimal', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  const res = await api({
    method: 'POST',
    url: '/api/orders',
    payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' },
  });
  t.equal(res.statusCode, 201);
  const order = await finalStatus(api, res.json().order.orderId, ['FILLED']);
  t.equal(order.filledQuantity, '0.01');
  t.ok(order.venueOrderId);

  const trades = await eventually(async () => {
    const list = (await get(api, '/api/trades')).trades;
    const sum = list.reduce((n: ReturnType<typeof dec>, x: { quantity: string }) => n.plus(x.quantity), dec(0));
    return sum.eq('0.01') ? list : undefined;
  });
  const spent = trades.reduce((n: ReturnType<typeof dec>, x: { quoteQuantity: string }) => n.plus(x.quoteQuantity), dec(0));
  const fee = trades.reduce((n: ReturnType<typeof dec>, x: { fee: string }) => n.plus(x.fee), dec(0));
  t.ok(
    trades.every((x: { feeAsset: string }) => x.feeAsset === 'BTC'),
    'Binance charges the fee in the asset received',
  );
  t.equal(str(dec(order.avgFillPrice).times('0.01')), str(spent), 'average fill price is volume-weighted');

  const balances = await eventually(async () => {
    const b = (await get(api, '/api/balances')).balances;
    return b.find((x: { asset: string; locked: string }) => x.asset === 'USDT' && x.locked === '0') && b.length === 2 ? b : undefined;
  });
  const byAsset = Object.fromEntries(balances.map((b: { asset: string; free: string }) => [b.asset, b.free]));
  t.equal(byAsset.USDT, str(dec('10000').minus(spent)), 'USDT: 10000 minus the quote spent');
  t.equal(byAsset.BTC, str(dec('0.01').minus(fee)), 'BTC: bought quantity minus the fee');
  t.same(byAsset, await venueBalances(s.userId), 'the read model agrees with the venue account exactly');

  const [position] = (await get(api, '/api/positions')).positions;
  t.match(position, {
    symbol: 'BTCUSDT',
    quantity: str(dec('0.01').minus(fee)),
    avgEntryPrice: order.avgFillPrice,
    fees: str(trades.reduce((n: ReturnType<typeof dec>, x: { fee: string; price: string }) => n.plus(dec(x.fee).times(x.price)), dec(0))),
  });
  t.type(position.unrealizedPnl, 'string');
});

t.test('a LIMIT far from the market rests as NEW, is canceled, and its reservation is released', async (t) => {
  const api = as(app, await register(app));
  const price = await priceAt(api, 'ETHUSDT', '0.6');
  const placed = (
    await api({ method: 'POST', url: '/api/orders', payload: { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.1', price } })
  ).json().order;
  await finalStatus(api, placed.orderId, ['NEW']);
  const locked = await eventually(async () => (await get(api, '/api/balances')).balances.find((b: { locked: string }) => b.locked !== '0'));
  const reserved = str(dec(price).times('0.1').times('1.001'));
  t.same(locked, { asset: 'USDT', free: str(dec(10000).minus(reserved)), locked: reserved }, 'notional plus fee margin is locked');
  t.equal((await api({ method: 'DELETE', url: `/api/orders/${placed.orderId}` })).statusCode, 202);
  const canceled = await finalStatus(api, placed.orderId, ['CANCELED']);
  t.equal(canceled.filledQuantity, '0');
  const released = await eventually(async () => {
    const b = (await get(api, '/api/balances')).balances;
    return b.every((x: { locked: string }) => x.locked === '0') ? b : undefined;
  });
  t.same(released, [{ asset: 'USDT', free: '10000', locked: '0' }]);
  const types = (await get(api, `/api/orders/${placed.orderId}/events`)).events.map((e: { type: string }) => e.type);
  t.same(types, ['OrderPlaced', 'OrderAccepted', 'OrderCancelRequested', 'OrderCanceled']);
});

t.test('a resting LIMIT fills when the price crosses it', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  const price = await priceAt(api, 'SOLUSDT', '0.9');
  const placed = (
    await api({ method: 'POST', url: '/api/orders', payload: { symbol: 'SOLUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price } })
  ).json().order;
  await finalStatus(api, placed.orderId, ['NEW']);
  await sim.admin.pinPrice('SOLUSDT', str(dec(price).times('0.99').round(2)));
  t.teardown(() => sim.admin.unpinPrice('SOLUSDT'));
  const filled = await finalStatus(api, placed.orderId, ['FILLED']);
  t.equal(filled.avgFillPrice, price, 'a maker fills at its own price');
  const balances = await eventually(async () => {
    const b = (await get(api, '/api/balances')).balances;
    return b.length === 2 && b.every((x: { locked: string }) => x.locked === '0') ? b : undefined;
  });
  t.same(Object.fromEntries(balances.map((b: { asset: string; free: string }) => [b.asset, b.free])), await venueBalances(s.userId));
});

t.test('IOC and FOK behave as Binance documents', async (t) => {
  const api = as(app, await register(app));
  const low = await priceAt(api, 'BTCUSDT', '0.9');
  const ioc = (
    await api({
      method: 'POST',
      url: '/api/orders',
      payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: low, timeInForce: 'IOC' },
    })
  ).json().order;
  const expired = await finalStatus(api, ioc.orderId, ['EXPIRED']);
  t.equal(expired.filledQuantity, '0', 'an IOC that cannot fill expires with nothing');
  const fok = (
    await api({
      method: 'POST',
      url: '/api/orders',
      payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: low, timeInForce: 'FOK' },
    })
  ).json().order;
  t.equal((await finalStatus(api, fok.orderId, ['EXPIRED'])).filledQuantity, '0', 'an FOK that cannot fill entirely expires');
  const crossing = await priceAt(api, 'BTCUSDT', '1.02');
  const fok2 = (
    await api({
      method: 'POST',
      url: '/api/orders',
      payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: crossing, timeInForce: 'FOK' },
    })
  ).json().order;
  t.equal((await finalStatus(api, fok2.orderId, ['FILLED'])).filledQuantity, '0.001', 'an FOK the book can fill fills entirely');
});

t.test('the venue refusing an order makes it REJECTED with the code, and releases the reservation', async (t) => {
  const api = as(app, await register(app));
  // A stop-loss buy whose stop is below the market would trigger immediately: Binance says -2010.
  const res = await api({
    method: 'POST',
    url: '/api/orders',
    payload: {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'STOP_LOSS_LIMIT',
      quantity: '0.001',
      price: await priceAt(api, 'BTCUSDT', '1.1'),
      stopPrice: await priceAt(api, 'BTCUSDT', '0.5'),
    },
  });
  t.equal(res.statusCode, 201);
  const rejected = await finalStatus(api, res.json().order.orderId, ['REJECTED']);
  t.match(rejected.reason, /trigger immediately/i);
  await eventually(async () =>
    (await get(api, '/api/balances')).balances.every((b: { locked: string }) => b.locked === '0') ? true : undefined,
  );
});

t.test('decimals reach the venue in canonical form; one the symbol cannot hold is DENIED naming its filter', async (t) => {
  const api = as(app, await register(app));
  // Fourteen decimals, all padding: Binance refuses the literal (-1111) although the number is fine.
  const res = await api({
    method: 'POST',
    url: '/api/orders',
    payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.00100000000000' },
  });
  t.equal(res.statusCode, 201);
  t.equal(res.json().order.quantity, '0.001', 'recorded (and so sent) as 0.001');
  const filled = await finalStatus(api, res.json().order.orderId, ['FILLED', 'REJECTED']);
  t.equal(filled.status, 'FILLED', `the venue took it (${filled.reason ?? ''})`);
  t.equal(filled.filledQuantity, '0.001');

  const price = await priceAt(api, 'BTCUSDT', '0.9');
  const padded = (zeros: string) => `${price}${price.includes('.') ? '' : '.'}${zeros}`;
  const limit = await api({
    method: 'POST',
    url: '/api/orders',
    payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.0010', price: padded('000') },
  });
  t.equal(limit.statusCode, 201);
  t.match(limit.json().order, { quantity: '0.001', price });
  await finalStatus(api, limit.json().order.orderId, ['NEW']);

  const tooFine = await api({
    method: 'POST',
    url: '/api/orders',
    payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001000000001', price },
  });
  t.equal(tooFine.statusCode, 422);
  t.match(tooFine.json().error, {
    code: 'FILTER_FAILURE',
    message: 'LOT_SIZE: quantity 0.001000000001 has 12 decimals; BTCUSDT takes at most 8',
    details: { field: 'quantity', filter: 'LOT_SIZE', order: { status: 'DENIED' } },
  });
  const finePrice = await api({
    method: 'POST',
    url: '/api/orders',
    payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: padded('000000001') },
  });
  t.equal(finePrice.statusCode, 422);
  t.match(finePrice.json().error, {
    code: 'FILTER_FAILURE',
    message: /^PRICE_FILTER: price .* decimals; BTCUSDT takes at most 8$/,
    details: { filter: 'PRICE_FILTER' },
  });
});
