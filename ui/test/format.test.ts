import t from 'tap';
import {
  assetDecimals,
  direction,
  formatAmount,
  formatAssetAmount,
  formatFee,
  formatDecimal,
  formatPnl,
  formatPrice,
  formatQuantity,
  formatTime,
  humanize,
  priceDecimals,
  quantityDecimals,
  signOf,
} from '../src/lib/format.ts';
import { BTCUSDT } from './fixtures.ts';

t.test('decimals are rounded half-even on the digits, grouped by thousands', async (t) => {
  t.equal(formatDecimal('64250.1', 2), '64,250.10');
  t.equal(formatDecimal('1234567.891', 2), '1,234,567.89');
  t.equal(formatDecimal('0.125', 2), '0.12', 'half-even: 0.125 → 0.12');
  t.equal(formatDecimal('0.135', 2), '0.14', 'half-even: 0.135 → 0.14');
  t.equal(formatDecimal('0.1', 0), '0');
  t.equal(formatDecimal('999.999', 2), '1,000.00', 'carry into the integer part');
  t.equal(formatDecimal('12345678901234567890.123456789', 8), '12,345,678,901,234,567,890.12345679', 'no float precision loss');
  t.equal(formatDecimal('-1234.5', 1), '-1,234.5');
});

t.test('anything that is not a decimal string shows as a dash', async (t) => {
  for (const v of [null, undefined, '', 'abc', '1e5', 'NaN', '1.2.3']) t.equal(formatDecimal(v, 2), '—', String(v));
});

t.test('signs: negative zero prints as zero, PnL shows an explicit plus', async (t) => {
  t.equal(formatDecimal('-0.001', 2), '0.00');
  t.equal(formatPnl('12.345'), '+12.34', 'half-even: 12.345 → 12.34');
  t.equal(formatPnl('12.355'), '+12.36', 'half-even: 12.355 → 12.36');
  t.equal(formatPnl('-3'), '-3.00');
  t.equal(formatPnl('0'), '0.00');
  t.equal(formatPnl(null), '—');
});

t.test('symbol precision comes from tick and step sizes', async (t) => {
  t.equal(priceDecimals(BTCUSDT), 2);
  t.equal(quantityDecimals(BTCUSDT), 5);
  t.equal(formatPrice('64000', BTCUSDT), '64,000.00');
  t.equal(formatQuantity('0.1', BTCUSDT), '0.10000');
  t.equal(priceDecimals({ tickSize: '0.00100' }), 3, 'trailing zeros of the step do not count');
  t.equal(priceDecimals({ tickSize: '1' }), 0);
});

t.test('amounts of an unknown asset keep up to 8 decimals without trailing zeros, truncated', async (t) => {
  t.equal(formatAmount('10000'), '10,000');
  t.equal(formatAmount('0.000123450'), '0.00012345');
  t.equal(formatAmount('1.123456789'), '1.12345678', 'cut, not rounded up past what is held');
});

t.test('a quantity held is truncated at the step, never rounded up past it', async (t) => {
  t.equal(formatQuantity('0.000999', BTCUSDT), '0.00099', 'the issue: 0.000999 BTC is not 0.00100');
  t.equal(formatQuantity('0.00099999', BTCUSDT), '0.00099');
  t.equal(formatQuantity('0.00100', BTCUSDT), '0.00100', 'an exact multiple shows exactly');
  t.equal(formatQuantity('-0.000999', BTCUSDT), '-0.00099', 'toward zero for a negative size too');
  t.equal(formatQuantity('1234.567899', BTCUSDT), '1,234.56789');
});

t.test("each asset at its precision from the listed markets' filters", async (t) => {
  const ETHBTC = { ...BTCUSDT, symbol: 'ETHBTC', baseAsset: 'ETH', quoteAsset: 'BTC', tickSize: '0.000001', stepSize: '0.0001' };
  const symbols = [BTCUSDT, ETHBTC];
  t.equal(assetDecimals('BTC', symbols), 5, 'a base asset: its step (5), though it also quotes ETHBTC');
  t.equal(assetDecimals('ETH', symbols), 4);
  t.equal(assetDecimals('USDT', symbols), 2, 'a quote-only asset: its tick');
  t.equal(assetDecimals('BNB', symbols), 8, 'no market names it: the venue precision');
  t.equal(formatAssetAmount('9999.999999', 2), '9,999.99', 'USDT at 2 decimals, truncated');
  t.equal(formatAssetAmount('0.00000999', 5), '0.00000', 'less than one step of BTC held shows as zero, not 0.00001');
});

t.test('a fee shows every decimal it has, at least the asset precision', async (t) => {
  t.equal(formatFee('0.000004', 5), '0.000004', 'a tiny BTC fee is not rounded away');
  t.equal(formatFee('0.1', 2), '0.10');
  t.equal(formatFee('1234.5', 2), '1,234.50');
  t.equal(formatFee(null, 2), '—');
});

t.test('signOf and direction compare decimals exactly', async (t) => {
  t.equal(signOf('0.00000001'), 'pos');
  t.equal(signOf('-0.00000001'), 'neg');
  t.equal(signOf('0.000'), 'zero');
  t.equal(signOf(null), 'none');
  t.equal(direction('100.1', '100.10'), 'flat', 'equal values, different spellings');
  t.equal(direction('100.1', '100.11'), 'up');
  t.equal(direction('100.1', '99.99'), 'down');
  t.equal(direction(null, '1'), 'flat');
});

t.test('times are UTC, codes humanized', async (t) => {
  t.equal(formatTime('2026-11-24T09:05:03.120Z'), '2026-11-24 09:05:03');
  t.equal(formatTime('garbage'), '—');
  t.equal(formatTime(null), '—');
  t.equal(humanize('PARTIALLY_FILLED'), 'Partially filled');
  t.equal(humanize('STOP_LOSS_LIMIT'), 'Stop-limit');
});
