// Market streams through node-binance-api's websocket helpers (urls.stream / urls.combineStream).
import t from 'tap';
import WebSocket from 'ws';
import { clientFor, waitFor, withSim } from './fixtures/sim.ts';

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
  const kline = await waitFor(() => klines[0], 'a kline event');
  t.match(kline, { e: 'kline', s: 'BTCUSDT', k: { i: '1m', s: 'BTCUSDT', x: false, o: /^\d+\.\d{8}$/ } });
  t.equal(Number(kline.k.t) % 60_000, 0);
  await waitFor(() => (new Set(trades.map((x) => x.s)).size === 2 ? true : undefined), 'trades for both symbols');
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
  t.same(await waitFor(() => inbox.find((m) => m.id === 1), 'ack'), { result: null, id: 1 });
  const tick = await waitFor(() => inbox.find((m) => m.s === 'SOLUSDT'), 'bookTicker');
  t.ok(Number(tick.b) < 150 && Number(tick.a) > 150);
  ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 2 }));
  t.same(await waitFor(() => inbox.find((m) => m.id === 2), 'list'), { result: ['solusdt@bookTicker'], id: 2 });
});
