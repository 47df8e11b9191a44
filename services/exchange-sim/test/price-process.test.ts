import t from 'tap';
import { INTERVALS } from '../src/market/intervals.ts';
import { HISTORY_START, klineOpenTimes, klineRow } from '../src/market/klines.ts';
import { Market } from '../src/market/market.ts';
import { SYMBOLS } from '../src/market/symbols.ts';
import { DAY, HOUR, MINUTE, TICK } from '../src/market/time-units.ts';

const NOW = Date.UTC(2026, 10, 24, 12, 34, 56, 789);
const interval = (name: string) => {
  const i = INTERVALS.get(name);
  if (!i) throw new Error(name);
  return i;
};

t.test('the same seed gives the same prices; another seed does not', async (t) => {
  const a = new Market('seed-a', SYMBOLS);
  const b = new Market('seed-a', SYMBOLS);
  const c = new Market('seed-b', SYMBOLS);
  for (const s of a.symbols()) t.equal(a.price(s, NOW).toString(), b.price(s, NOW).toString(), s);
  t.not(a.price('BTCUSDT', NOW).toString(), c.price('BTCUSDT', NOW).toString());
});

t.test('prices sit in realistic ranges and move tick by tick', async (t) => {
  const m = new Market('blotter', SYMBOLS);
  const ranges: Record<string, [number, number]> = {
    BTCUSDT: [50_000, 80_000],
    ETHUSDT: [2_200, 3_900],
    SOLUSDT: [95, 230],
    BNBUSDT: [450, 780],
  };
  for (const [symbol, [lo, hi]] of Object.entries(ranges)) {
    for (let day = 0; day < 400; day += 7) {
      const p = m.price(symbol, NOW - day * DAY).toNumber();
      t.ok(p > lo && p < hi, `${symbol} ${day}d ago = ${p}`);
    }
  }
  const ticks = new Set(Array.from({ length: 40 }, (_, i) => m.price('BTCUSDT', NOW + i * TICK).toString()));
  t.ok(ticks.size > 20, `40 ticks gave ${ticks.size} distinct prices`);
  const oneTick = Math.abs(m.price('BTCUSDT', NOW + TICK).toNumber() / m.price('BTCUSDT', NOW).toNumber() - 1);
  t.ok(oneTick < 0.002, 'a tick moves the price a little');
});

t.test('coarse candles are exactly the merge of their finer candles', async (t) => {
  const tree = new Market('blotter', SYMBOLS).tree('ETHUSDT');
  const h = Math.floor(NOW / HOUR) - 30;
  const hour = tree.hour(h);
  const minutes = Array.from({ length: 60 }, (_, i) => tree.minute(h * 60 + i));
  t.equal(minutes[0]?.open, hour.open);
  t.equal(minutes[59]?.close, hour.close);
  t.equal(Math.max(...minutes.map((c) => c.high)), hour.high);
  t.equal(Math.min(...minutes.map((c) => c.low)), hour.low);
  for (let i = 1; i < 60; i++) t.equal(minutes[i]?.open, minutes[i - 1]?.close, 'minutes chain');
  const d = Math.floor(NOW / DAY) - 3;
  const merged = tree.span(d * DAY, (d + 1) * DAY);
  t.same(merged && [merged.open, merged.high, merged.low, merged.close], [
    tree.day(d).open,
    tree.day(d).high,
    tree.day(d).low,
    tree.day(d).close,
  ]);
  const viaTicks = tree.span(h * HOUR + 250, (h + 1) * HOUR);
  t.ok(viaTicks && viaTicks.high <= hour.high && viaTicks.low >= hour.low, 'a sub-span stays inside its hour');
});

t.test('klines: 1h high/low agree with its 1m klines after rounding', async (t) => {
  const m = new Market('blotter', SYMBOLS);
  const spec = m.spec('BTCUSDT');
  const tree = m.tree('BTCUSDT');
  const open = Math.floor(NOW / HOUR) * HOUR - 5 * HOUR;
  const hourRow = klineRow(spec, tree, interval('1h'), open, NOW);
  const minuteRows = klineOpenTimes(interval('1m'), { startTime: open, endTime: open + HOUR - 1, limit: 1000 }, NOW).map((o) =>
    klineRow(spec, tree, interval('1m'), o, NOW),
  );
  t.equal(minuteRows.length, 60);
  t.equal(hourRow?.[2], minuteRows.map((r) => r?.[2] ?? '').sort((a, b) => Number(b) - Number(a))[0], 'high');
  t.equal(hourRow?.[3], minuteRows.map((r) => r?.[3] ?? '').sort((a, b) => Number(a) - Number(b))[0], 'low');
});

t.test('kline windows: latest by default, startTime/endTime/limit, 500+ weeks of history', async (t) => {
  const weeks = klineOpenTimes(interval('1w'), { limit: 1000 }, NOW);
  t.ok(weeks.length >= 500, `${weeks.length} weekly candles`);
  t.ok(
    weeks.every((w) => new Date(w).getUTCDay() === 1 && w % DAY === 0),
    'weeks open on Monday 00:00 UTC',
  );
  t.ok((weeks[0] ?? 0) >= HISTORY_START);
  const latest = klineOpenTimes(interval('1m'), { limit: 3 }, NOW);
  t.same(
    latest,
    [2, 1, 0].map((k) => Math.floor(NOW / MINUTE) * MINUTE - k * MINUTE),
  );
  const fromStart = klineOpenTimes(interval('5m'), { startTime: NOW - HOUR, limit: 2 }, NOW);
  t.ok((fromStart[0] ?? 0) >= NOW - HOUR && (fromStart[0] ?? 0) - (NOW - HOUR) < 5 * MINUTE);
  t.same(klineOpenTimes(interval('1d'), { startTime: NOW + DAY, limit: 5 }, NOW), [], 'nothing from the future');
  const months = klineOpenTimes(interval('1M'), { endTime: Date.UTC(2026, 2, 15), limit: 2 }, NOW);
  t.same(months, [Date.UTC(2026, 1, 1), Date.UTC(2026, 2, 1)]);
});

t.test('the open candle ends at the live price', async (t) => {
  const m = new Market('blotter', SYMBOLS);
  const row = klineRow(m.spec('SOLUSDT'), m.tree('SOLUSDT'), interval('1m'), Math.floor(NOW / MINUTE) * MINUTE, NOW);
  t.equal(row?.[4], m.price('SOLUSDT', NOW).toFixed(8));
});
