import t from 'tap';
import {
  awaitSnapshot,
  balancesOf,
  candlesOf,
  dropChannels,
  emptyState,
  isSynced,
  type LiveState,
  MAX_ROWS,
  mergeCandle,
  ordersOf,
  positionsOf,
  reduce,
  tickerOf,
  tradesOf,
  upsertOrders,
} from '../src/lib/live/reducer.ts';
import { balance, candle, order, position, trade, uuid } from './fixtures.ts';

const subscribed = (...channels: string[]) => awaitSnapshot(emptyState(), channels);
const snap = (state: LiveState, channel: string, version: number, data: unknown) =>
  reduce(state, { type: 'snapshot', channel, version, data });
const upd = (state: LiveState, channel: string, prevVersion: number, version: number, data: unknown) =>
  reduce(state, { type: 'update', channel, version, prevVersion, data });

t.test('a snapshot replaces the channel data and sets its version', async (t) => {
  const s0 = subscribed('orders');
  t.equal(isSynced(s0, 'orders'), false, 'awaiting the snapshot');
  const r = snap(s0, 'orders', 10, [order({ orderId: uuid(1) }), order({ orderId: uuid(2), createdAt: '2026-11-24T12:05:00.000Z' })]);
  t.equal(isSynced(r.state, 'orders'), true);
  t.equal(r.state.channels.orders?.version, 10);
  t.same(
    ordersOf(r.state).map((o) => o.orderId),
    [uuid(2), uuid(1)],
    'newest first',
  );
  t.same(r.orderChanges, [], 'snapshots raise no toasts');
});

t.test('an update chained on the held version applies and merges rows by orderId', async (t) => {
  const s1 = snap(subscribed('orders'), 'orders', 10, [order({ orderId: uuid(1) })]).state;
  const filled = order({ orderId: uuid(1), status: 'FILLED', filledQuantity: '0.01', version: 12 });
  const fresh = order({ orderId: uuid(3), createdAt: '2026-11-24T12:10:00.000Z', version: 12 });
  const r = upd(s1, 'orders', 10, 12, [filled, fresh]);
  t.same(r.resubscribe, []);
  t.equal(r.state.channels.orders?.version, 12);
  const rows = ordersOf(r.state);
  t.equal(rows.length, 2, 'one merged, one added');
  t.equal(rows.find((o) => o.orderId === uuid(1))?.status, 'FILLED');
  t.equal(r.orderChanges.length, 2);
  t.equal(r.orderChanges[0]?.prev?.status, 'NEW', 'the change carries the previous row for toasts');
  t.equal(r.orderChanges[1]?.prev, undefined, 'a new order has no previous row');
});

t.test('a duplicate or already-included update is ignored', async (t) => {
  const s1 = snap(subscribed('orders'), 'orders', 10, [order()]).state;
  const s2 = upd(s1, 'orders', 10, 12, [order({ status: 'PARTIALLY_FILLED', filledQuantity: '0.004', version: 12 })]).state;
  const dup = upd(s2, 'orders', 10, 12, [order({ status: 'PARTIALLY_FILLED', filledQuantity: '0.004', version: 12 })]);
  t.equal(dup.state, s2, 'same state object: nothing changed');
  t.same(dup.resubscribe, []);
  t.same(dup.orderChanges, [], 'no second toast for the same fill');
  const old = upd(s2, 'orders', 8, 9, [order({ status: 'NEW', version: 9 })]);
  t.equal(old.state, s2, 'an update older than the snapshot is already included');
});

t.test('a gap marks the channel unsynced and asks to re-subscribe; later updates wait for the snapshot', async (t) => {
  const s1 = snap(subscribed('orders', 'balances'), 'orders', 10, [order()]).state;
  const gap = upd(s1, 'orders', 11, 12, [order({ status: 'FILLED', version: 12 })]);
  t.same(gap.resubscribe, ['orders']);
  t.equal(isSynced(gap.state, 'orders'), false);
  t.equal(ordersOf(gap.state)[0]?.status, 'NEW', 'the gapped update is not applied; held rows stay visible');
  const next = upd(gap.state, 'orders', 12, 13, [order({ status: 'CANCELED', version: 13 })]);
  t.equal(next.state, gap.state, 'updates while unsynced are dropped');
  t.same(next.resubscribe, [], 'and do not re-request again');
  const resnap = snap(gap.state, 'orders', 13, [order({ status: 'FILLED', version: 12 })]);
  t.equal(isSynced(resnap.state, 'orders'), true);
  t.equal(resnap.state.channels.orders?.version, 13);
  t.equal(upd(resnap.state, 'orders', 13, 14, [order({ status: 'FILLED', version: 14 })]).state.channels.orders?.version, 14);
});

t.test('out-of-order delivery: the later update first is a gap, the earlier one then is stale', async (t) => {
  const s1 = snap(subscribed('balances'), 'balances', 5, [balance('USDT', '100')]).state;
  const later = upd(s1, 'balances', 6, 7, [balance('USDT', '80')]);
  t.same(later.resubscribe, ['balances']);
  const earlier = upd(later.state, 'balances', 5, 6, [balance('USDT', '90')]);
  t.equal(earlier.state, later.state, 'ignored until the fresh snapshot');
});

t.test('balances merge by asset, positions by symbol keeping the snapshot mark', async (t) => {
  let s = subscribed('balances', 'positions');
  s = snap(s, 'balances', 1, [balance('USDT', '10000'), balance('BTC', '0')]).state;
  s = upd(s, 'balances', 1, 2, [balance('USDT', '9360', '640')]).state;
  t.same(balancesOf(s), [balance('BTC', '0'), balance('USDT', '9360', '640')], 'sorted by asset, USDT replaced');

  s = snap(s, 'positions', 3, [position({ markPrice: '110', unrealizedPnl: '5', version: 3 })]).state;
  s = upd(s, 'positions', 3, 4, [position({ quantity: '1', avgEntryPrice: '105', version: 4 })]).state;
  const p = positionsOf(s)[0];
  t.equal(p?.quantity, '1');
  t.equal(p?.avgEntryPrice, '105');
  t.equal(p?.markPrice, '110', 'updates carry no mark price; the snapshot one stays');
});

t.test('trades merge by tradeId, newest first, capped', async (t) => {
  let s = snap(subscribed('trades'), 'trades', 1, [trade({ tradeId: '1' })]).state;
  s = upd(s, 'trades', 1, 2, [trade({ tradeId: '2', at: '2026-11-24T12:01:00.000Z' }), trade({ tradeId: '1' })]).state;
  t.same(
    tradesOf(s).map((x) => x.tradeId),
    ['2', '1'],
  );
  const many = Array.from({ length: MAX_ROWS + 20 }, (_, i) =>
    trade({ tradeId: String(i), at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }),
  );
  s = snap(s, 'trades', 3, many).state;
  t.equal(tradesOf(s).length, MAX_ROWS);
  t.equal(tradesOf(s)[0]?.tradeId, String(MAX_ROWS + 19), 'the newest are kept');
});

t.test('an older row version never overwrites a newer local copy', async (t) => {
  let s = snap(subscribed('orders'), 'orders', 10, []).state;
  s = upsertOrders(s, [order({ status: 'PENDING_NEW', version: 15 })]);
  t.equal(ordersOf(s).length, 1, 'the placed order shows before the socket confirms it');
  t.equal(s.channels.orders?.version, 10, 'a local upsert does not move the channel version');
  s = upsertOrders(s, [order({ status: 'NEW', version: 16 })]);
  const r = upd(s, 'orders', 10, 14, [order({ status: 'PENDING_NEW', version: 14 })]);
  t.equal(ordersOf(r.state)[0]?.status, 'NEW', 'stale row skipped');
  t.equal(r.state.channels.orders?.version, 14, 'but the channel version advances');
  t.same(r.orderChanges, []);
});

t.test('ticker: full-state updates apply without gap handling', async (t) => {
  let s = subscribed('ticker:BTCUSDT');
  s = snap(s, 'ticker:BTCUSDT', 1, null).state;
  t.equal(tickerOf(s, 'BTCUSDT'), null);
  const r = upd(s, 'ticker:BTCUSDT', 7, 9, { symbol: 'BTCUSDT', price: '64000.5', at: '2026-11-24T12:00:00.000Z' });
  t.same(r.resubscribe, [], 'a missed ticker is overwritten by the next one anyway');
  t.equal(tickerOf(r.state, 'BTCUSDT')?.price, '64000.5');
  t.equal(
    upd(r.state, 'ticker:BTCUSDT', 8, 9, { symbol: 'BTCUSDT', price: '1', at: '2026-11-24T12:00:00.000Z' }).state,
    r.state,
    'not newer',
  );
});

t.test('candles: same openTime replaces the last bar, a later one appends', async (t) => {
  const ch = 'candles:BTCUSDT:1m';
  let s = snap(subscribed(ch), ch, 1, [candle(1), candle(0)]).state;
  t.same(
    candlesOf(s, ch)?.map((c) => c.openTime),
    [candle(0).openTime, candle(1).openTime],
    'sorted oldest first',
  );
  s = upd(s, ch, 1, 2, candle(1, '105')).state;
  t.equal(candlesOf(s, ch)?.length, 2);
  t.equal(candlesOf(s, ch)?.at(-1)?.close, '105');
  s = upd(s, ch, 2, 3, candle(2, '106')).state;
  t.equal(candlesOf(s, ch)?.length, 3);
  t.same(upd(s, ch, 4, 5, candle(3)).resubscribe, [ch], 'candles do have gaps');
});

t.test('mergeCandle replaces an older bar in place and ignores an unknown older one', async (t) => {
  const bars = [candle(0), candle(1), candle(2)];
  t.equal(mergeCandle(bars, candle(1, '999'))[1]?.close, '999');
  t.same(mergeCandle([candle(0), candle(2)], candle(1)), [candle(0), candle(2)]);
  t.same(mergeCandle([], candle(5)), [candle(5)]);
});

t.test('messages that break the contract are dropped and reported', async (t) => {
  const s = subscribed('orders', 'ticker:BTCUSDT');
  const bad = snap(s, 'orders', 1, [{ orderId: 'x' }]);
  t.equal(bad.state, s);
  t.match(bad.rejected, /orders/);
  const s1 = snap(s, 'orders', 1, []).state;
  t.match(upd(s1, 'orders', 1, 2, [{ ...order(), price: 64000 }]).rejected, /update/, 'a JSON number where a decimal string belongs');
  t.match(upd(s1, 'orders', 1, 2, order()).rejected, /update/, 'orders updates are arrays');
});

t.test('channels not subscribed are ignored; unsubscribing drops data', async (t) => {
  const s = subscribed('orders');
  t.equal(snap(s, 'trades', 1, []).state, s);
  const withData = snap(s, 'orders', 1, [order()]).state;
  const dropped = dropChannels(withData, ['orders']);
  t.same(ordersOf(dropped), []);
  t.equal(snap(dropped, 'orders', 2, [order()]).state, dropped, 'a late snapshot after unsubscribe does not resurrect it');
});

t.test('re-awaiting keeps the held data on screen until the new snapshot', async (t) => {
  const s = snap(subscribed('orders'), 'orders', 3, [order()]).state;
  const again = awaitSnapshot(s, ['orders']);
  t.equal(isSynced(again, 'orders'), false);
  t.equal(ordersOf(again).length, 1);
  t.equal(upd(again, 'orders', 3, 4, [order({ version: 4, status: 'FILLED' })]).state, again, 'updates wait for the snapshot');
});
