// Market streams through node-binance-api's websocket helpers (urls.stream / urls.combineStream).
import t from 'tap';
import WebSocket from 'ws';
import { clientFor, withSim } from './fixtures/sim.ts';
import { eventually } from '@blotter/test-kit/procs';

t.test('kline and trade streams, raw and combined', async (t) => {
  const sim = await withSim(t);
  const client = clientFor(sim, await sim.admin.createAccount());
  const klines: { e: string; s: string; k: Record<string, unknown> }[] = [];
  const trades: { e: string; s: string; p: string }[] = [];
  const klineUrl = client.websockets.candlesticks('BTCUSDT', '1m', (k: (typeof klines)[number]) => klines.push(k));
  const tradeUrl = client.websockets.trades(['BTCUSDT', 'ETHUSDT'], (x: (typeof trades)[number]) => trades.push(x));
  t.teardown(() => {
    client.websockets.terminate(klineUrl);
    client.websockets.terminate(tradeUrl);
  });
  const kline = await eventually(() => klines[0], 5_000, 'a kline event', 25);
  t.match(kline, { e: 'kline', s: 'BTCUSDT', k: { i: '1m', s: 'BTCUSDT', x: false, o: /^\d+\.\d{8}$/ } });
  t.equal(Number(kline.k.t) % 60_000, 0);
  await eventually(() => (new Set(trades.map((x) => x.s)).size === 2 ? true : undefined), 5_000, 'trades for both symbols', 25);
  t.match(trades[0], { e: 'trade', p: /^\d+\.\d{8}$/ });
});

t.test('SUBSCRIBE on a bare /ws connection, bookTicker follows a pinned price', async (t) => {
  const sim = await withSim(t);
  await sim.admin.pinPrice('SOLUSDT', '150.00');
  const ws = new WebSocket(`${sim.streamUrl.replace(/\/$/, '')}`);
  t.teardown(() => ws.terminate());
  const inbox: Record<string, unknown>[] = [];
  ws.on('message', (m) => inbox.push(JSON.parse(String(m))));
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['solusdt@bookTicker'], id: 1 }));
  t.same(await eventually(() => inbox.find((m) => m.id === 1), 5_000, 'ack', 25), { result: null, id: 1 });
  const tick = await eventually(() => inbox.find((m) => m.s === 'SOLUSDT'), 5_000, 'bookTicker', 25);
  t.ok(Number(tick.b) < 150 && Number(tick.a) > 150);
  ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 2 }));
  t.same(await eventually(() => inbox.find((m) => m.id === 2), 5_000, 'list', 25), { result: ['solusdt@bookTicker'], id: 2 });
});

t.test('trades and aggregate trades go out as users trade; properties and control errors', async (t) => {
  const sim = await withSim(t);
  await sim.admin.pinPrice('ETHUSDT', '3000.00');
  const ws = new WebSocket(`${sim.combineStreamUrl}ethusdt@aggTrade/ethusdt@depth5@100ms`);
  t.teardown(() => ws.terminate());
  const inbox: Record<string, unknown>[] = [];
  ws.on('message', (m) => inbox.push(JSON.parse(String(m))));
  await new Promise((resolve) => ws.once('open', resolve));
  const depth = await eventually(() => inbox.find((m) => m.stream === 'ethusdt@depth5@100ms'), 5_000, 'partial depth', 25);
  t.match(depth, { data: { lastUpdateId: Number, bids: [['2999.85000000', /^\d+\.\d{8}$/]] } });
  t.equal((depth.data as { asks: unknown[] }).asks.length, 5);

  const seller = clientFor(sim, await sim.admin.createAccount({ ETH: '10' }));
  const buyer = clientFor(sim, await sim.admin.createAccount({ USDT: '100000' }));
  await seller.sell('ETHUSDT', 1 as never, 3000.05 as never);
  await seller.sell('ETHUSDT', 2 as never, 3000.05 as never);
  const bought = await buyer.buy('ETHUSDT', 2.5 as never, 3000.05 as never, { timeInForce: 'IOC' });
  const ids = (bought.fills as { tradeId: number }[]).map((f) => f.tradeId);
  const agg = await eventually(() => inbox.find((m) => (m.data as { a?: number } | undefined)?.a === ids[0]), 5_000, 'the aggregate', 25);
  t.match(agg, {
    stream: 'ethusdt@aggTrade',
    data: { e: 'aggTrade', s: 'ETHUSDT', p: '3000.05000000', q: '2.50000000', f: ids[0], l: ids[1], m: false },
  });

  ws.send(JSON.stringify({ method: 'GET_PROPERTY', params: ['combined'], id: 1 }));
  t.same(await eventually(() => inbox.find((m) => m.id === 1), 5_000, 'property', 25), { result: true, id: 1 });
  ws.send(JSON.stringify({ method: 'SET_PROPERTY', params: ['combined', false], id: 2 }));
  t.same(await eventually(() => inbox.find((m) => m.id === 2), 5_000, 'set', 25), { result: null, id: 2 });
  await eventually(() => inbox.slice(-1).find((m) => m.lastUpdateId !== undefined), 5_000, 'raw payloads once combined is off', 25);
  ws.send(JSON.stringify({ method: 'SHOUT', id: 3 }));
  t.match(await eventually(() => inbox.find((m) => m.id === 3), 5_000, 'error', 25), { code: 2, msg: /unknown variant SHOUT/ });
  ws.send('nope');
  t.match(await eventually(() => inbox.find((m) => m.code === 3), 5_000, 'json error', 25), { code: 3, msg: /Invalid JSON/ });
});
