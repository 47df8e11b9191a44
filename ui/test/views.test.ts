import t from 'tap';
import { eventLines, eventTitle } from '../src/lib/market/events.ts';
import { combineBars, isInterval, toChartData } from '../src/lib/market/bars.ts';
import { amountIn, feesIn, lookup, priceIn, quantityIn } from '../src/lib/market/precision.ts';
import { shortcutSide } from '../src/lib/shortcuts.ts';
import { nextTheme, themeCookie } from '../src/lib/theme.ts';
import { markPosition, visiblePositions } from '../src/lib/trading/positions.ts';
import { isCancelable, isOpenOrder, orderToast } from '../src/lib/trading/toasts.ts';
import { checkVenueKeys } from '../src/lib/venue-keys.ts';
import { BTCUSDT, candle, order, position } from './fixtures.ts';

t.test('unrealized PnL = (mark − entry) × size, from the live ticker first', async (t) => {
  const feesByAsset = [{ asset: 'BTC', amount: '0.000004' }];
  const p = position({ quantity: '0.5', avgEntryPrice: '100', markPrice: '90', feesByAsset });
  t.same(markPosition(p, '110.5'), {
    symbol: 'BTCUSDT',
    quantity: '0.5',
    avgEntryPrice: '100',
    markPrice: '110.5',
    realizedPnl: '0',
    unrealizedPnl: '5.25',
    feesByAsset,
  });
  t.equal(markPosition(p, null).unrealizedPnl, '-5', "the snapshot's mark without a ticker");
  t.equal(markPosition(position({ markPrice: null }), null).unrealizedPnl, null);
  t.equal(markPosition(position({ quantity: '-2', avgEntryPrice: '100' }), '90').unrealizedPnl, '20', 'a short gains when price falls');
  t.equal(
    markPosition(position({ quantity: '0.1', avgEntryPrice: '0.3' }), '0.1').unrealizedPnl,
    '-0.02',
    'exact: no 0.020000000000000004',
  );
  t.same(
    visiblePositions([
      position({ symbol: 'A', quantity: '0', realizedPnl: '0' }),
      position({ symbol: 'B', quantity: '0', realizedPnl: '-1' }),
      position({ symbol: 'C' }),
    ]).map((p) => p.symbol),
    ['B', 'C'],
  );
});

t.test('toasts for fills, partial fills, rejections, denials, cancels; none for noise', async (t) => {
  const o = order({ status: 'NEW' });
  t.match(orderToast(o, { ...o, status: 'FILLED', avgFillPrice: '63990' }), {
    kind: 'fill',
    title: 'Order filled',
    body: /filled at 63990/,
  });
  t.match(orderToast(o, { ...o, status: 'PARTIALLY_FILLED', filledQuantity: '0.004' }), { kind: 'partial', body: /0.004 of 0.01/ });
  const part = { ...o, status: 'PARTIALLY_FILLED' as const, filledQuantity: '0.004' };
  t.match(orderToast(part, { ...part, filledQuantity: '0.006' }), { kind: 'partial' }, 'each further fill');
  t.equal(orderToast(part, { ...part }), null, 'nothing changed');
  t.match(orderToast(o, { ...o, status: 'REJECTED', reason: 'venue said no' }), { kind: 'reject', body: /venue said no/ });
  t.match(
    orderToast(undefined, { ...o, status: 'DENIED', reason: 'INSUFFICIENT_BALANCE' }),
    { kind: 'deny' },
    'an order first seen denied',
  );
  t.match(orderToast(o, { ...o, status: 'CANCELED' }), { kind: 'cancel' });
  t.match(orderToast(o, { ...o, status: 'EXPIRED' }), { kind: 'expire' });
  t.equal(orderToast(undefined, o), null, 'a new resting order is not news');
  t.equal(orderToast(o, { ...o, status: 'PENDING_CANCEL' }), null);
  t.equal(orderToast({ ...o, status: 'FILLED' }, { ...o, status: 'FILLED' }), null, 'no repeat');
  t.equal(isOpenOrder({ status: 'PENDING_CANCEL' }), true);
  t.equal(isCancelable({ status: 'PENDING_CANCEL' }), false);
  t.equal(isOpenOrder({ status: 'FILLED' }), false);
});

t.test('chart bars: history plus live candles, plotted with strictly increasing times', async (t) => {
  const bars = combineBars([candle(1), candle(0)], [candle(1, '150'), candle(2, '151')]);
  t.same(
    bars.map((b) => b.close),
    ['100', '150', '151'],
  );
  t.same(combineBars([candle(0)], undefined), [candle(0)]);
  const data = toChartData([candle(0, '99'), candle(0), candle(1, '101'), { ...candle(2), openTime: 'bad' }]);
  t.equal(data.candles.length, 2, 'duplicate and malformed times skipped');
  t.same(data.candles[0], { time: Date.UTC(2026, 10, 24, 12, 0) / 1000, open: 100, high: 101, low: 99, close: 99 });
  t.same(
    data.volumes.map((v) => v.up),
    [false, true],
  );
  t.equal(isInterval('1h'), true);
  t.equal(isInterval('2h'), false);
});

t.test('precision per symbol, with a fallback for unknown ones', async (t) => {
  const info = lookup([BTCUSDT]);
  t.equal(priceIn(info('BTCUSDT'), '64000'), '64,000.00');
  t.equal(quantityIn(info('BTCUSDT'), '1'), '1.00000');
  t.equal(priceIn(info('OLDUSDT'), '1.50000'), '1.5');
  t.equal(info.asset('BTC'), 5, 'asset decimals from the filters');
  t.equal(amountIn(info, 'USDT', '10000.999'), '10,000.99');
  t.equal(
    feesIn(info, [
      { asset: 'BTC', amount: '0.000004' },
      { asset: 'BNB', amount: '0.0012' },
    ]),
    '0.000004 BTC · 0.00120000 BNB',
  );
  t.equal(feesIn(info, []), '—');
});

t.test('B and S shortcuts, but not while typing', async (t) => {
  const key = (k: string, tagName = 'BODY', over = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    target: { tagName },
    ...over,
  });
  t.equal(shortcutSide(key('b')), 'BUY');
  t.equal(shortcutSide(key('S')), 'SELL');
  t.equal(shortcutSide(key('x')), null);
  t.equal(shortcutSide(key('b', 'INPUT')), null);
  t.equal(shortcutSide(key('s', 'select')), null);
  t.equal(shortcutSide(key('b', 'DIV', { target: { tagName: 'DIV', isContentEditable: true } })), null);
  t.equal(shortcutSide(key('s', 'BODY', { ctrlKey: true })), null, 'Ctrl+S is the browser’s');
  t.equal(shortcutSide(key('b', 'BODY', { target: null })), 'BUY');
});

t.test('order events render as readable lines', async (t) => {
  t.same(eventLines({ orderId: 'o', userId: 'hidden', quantity: '0.01', released: { asset: 'USDT', amount: '600' }, tags: ['a', 'b'] }), [
    { key: 'orderId', value: 'o' },
    { key: 'quantity', value: '0.01' },
    { key: 'released.asset', value: 'USDT' },
    { key: 'released.amount', value: '600' },
    { key: 'tags', value: 'a, b' },
  ]);
  t.same(eventLines(null), []);
  t.same(eventLines({ reason: null }), [{ key: 'reason', value: '—' }]);
  t.equal(eventTitle('OrderPartiallyFilled'), 'Order partially filled');
  t.equal(eventTitle('orders.OrderPlaced'), 'Order placed');
});

t.test('venue keys: the gateway schema in words', async (t) => {
  t.same(checkVenueKeys('binance-testnet', 'abcdEFGH1234', 'secretSECRET99').request, {
    venue: 'binance-testnet',
    apiKey: 'abcdEFGH1234',
    apiSecret: 'secretSECRET99',
  });
  const bad = checkVenueKeys('kraken', 'short', 'has space 123');
  t.equal(bad.request, null);
  t.ok(bad.errors.venue && bad.errors.apiKey && bad.errors.apiSecret);
});

t.test('theme cookie holds only the theme', async (t) => {
  t.equal(nextTheme('dark'), 'light');
  t.equal(themeCookie('light', true), 'blotter_theme=light; Path=/; Max-Age=31536000; SameSite=Lax; Secure');
  t.notMatch(themeCookie('dark', false), /Secure|HttpOnly/);
});
