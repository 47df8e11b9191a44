import t from 'tap';
import { conformRows } from '../src/lib/api.ts';
import { OrderRow } from '../src/lib/live/channels.ts';
import { mergeHistory, withPage } from '../src/lib/virtual/history.ts';
import { nearEnd, rowWindow } from '../src/lib/virtual/window.ts';
import { order, uuid } from './fixtures.ts';

t.test('the rendered window is bounded by the box, not by the list', async (t) => {
  const top = rowWindow(0, 330, 33, 10_000);
  t.same(top, { start: 0, end: 19, padTop: 0, padBottom: (10_000 - 19) * 33 });
  const middle = rowWindow(33 * 5000, 330, 33, 10_000);
  t.equal(middle.start, 4992);
  t.equal(middle.end, 5019);
  t.equal(middle.end - middle.start, 27, 'overscan either side of 11 rows in view');
  t.equal(middle.padTop + (middle.end - middle.start) * 33 + middle.padBottom, 330_000, 'the spacers keep the full height');
  const bottom = rowWindow(33 * 10_000, 330, 33, 10_000);
  t.same([bottom.start, bottom.end, bottom.padBottom], [9992, 10_000, 0], 'scrolled past the end: the last rows');
  t.same(rowWindow(0, 330, 33, 0), { start: 0, end: 0, padTop: 0, padBottom: 0 }, 'empty');
  t.equal(rowWindow(-50, 330, 0, 5).start, 0, 'negative scroll and a zero row height are clamped');
});

t.test('the next page is asked for near the end of what is loaded', async (t) => {
  t.equal(nearEnd({ end: 19 }, 200), false);
  t.equal(nearEnd({ end: 170 }, 200), true);
  t.equal(nearEnd({ end: 0 }, 0), true);
});

t.test('live rows and older pages merge newest first, each once, the live copy winning', async (t) => {
  const row = (id: string, at: string, status = 'FILLED') => ({ id, at, status });
  const live = [row('c', '2026-01-03'), row('b', '2026-01-02', 'CANCELED')];
  // Pages come newest first, by time then key (as the API sorts them).
  const older = [row('b', '2026-01-02', 'NEW'), row('a0', '2026-01-01'), row('a', '2026-01-01')];
  const merged = mergeHistory(
    live,
    older,
    (r) => r.id,
    (r) => r.at,
  );
  t.same(
    merged.map((r) => r.id),
    ['c', 'b', 'a0', 'a'],
    'by time, then key, descending',
  );
  t.equal(merged.find((r) => r.id === 'b')?.status, 'CANCELED', 'the live copy of a row is kept');
  const racing = mergeHistory(
    [row('c', '2026-01-03'), row('b', '2026-01-02')],
    [row('bb', '2026-01-02'), row('a', '2026-01-01')],
    (r) => r.id,
    (r) => r.at,
  );
  t.same(
    racing.map((r) => r.id),
    ['c', 'bb', 'b', 'a'],
    'a paged row as new as the oldest live one is sorted in',
  );
  const first = withPage({ older: [], done: false }, older, 3);
  t.same([first.older.length, first.done], [3, false], 'a full page: maybe more');
  const second = withPage(first, [row('z', '2025-12-31')], 3);
  t.same([second.older.length, second.done], [4, true], 'a short page: the end');
});

t.test('a page of rows is checked in chunks against the contract', async (t) => {
  const rows = Array.from({ length: 45 }, (_, i) => order({ orderId: uuid(i + 1), extra: 'dropped' } as Partial<OrderRow>));
  const checked = await conformRows(OrderRow, rows, 20);
  t.equal(checked?.length, 45, 'every row, in three chunks');
  t.equal(checked?.[0]?.orderId, uuid(1), 'a row that fits is kept as it came (unknown fields tolerated)');
  t.equal(await conformRows(OrderRow, [...rows.slice(0, 30), { orderId: 'nope' }], 20), undefined, 'one bad row fails the page');
  t.equal(await conformRows(OrderRow, { not: 'an array' }), undefined);
});
