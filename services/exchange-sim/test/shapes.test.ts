// The shape comparator the conformance suites rely on must itself catch every kind of difference.
import t from 'tap';
import { conformance, DOCS, shapeDiff } from './fixtures/shapes.ts';

t.test('missing, extra, mistyped and non-decimal fields are reported; conditional ones are allowed', async (t) => {
  const ex = { symbol: 'X', price: '1.0', orderId: 1, fills: [{ qty: '1' }], stopPrice: '0.1' };
  t.same(shapeDiff({ symbol: 'Y', price: '2.00000000', orderId: 7, fills: [{ qty: '3' }] }, ex), [], 'conditional stopPrice may be absent');
  t.same(shapeDiff({ symbol: 'Y', orderId: 7, fills: [] }, ex), ['$.price: missing']);
  t.same(shapeDiff({ symbol: 'Y', price: '1', orderId: 7, fills: [], bogus: true }, ex), ["$.bogus: not in Binance's example"]);
  t.same(shapeDiff({ symbol: 'Y', price: 1, orderId: '7', fills: [] }, ex), [
    '$.price: expected string, got number',
    '$.orderId: expected number, got string',
  ]);
  t.same(shapeDiff({ symbol: 'Y', price: 'abc', orderId: 1, fills: [{ qty: 'x' }] }, ex), [
    '$.price: expected a decimal string, got abc',
    '$.fills[0].qty: expected a decimal string, got x',
  ]);
  t.same(shapeDiff([1, 'a'], [0, 'b', 'c']), ['$: expected 3 elements, got 2'], 'kline-like tuples have a fixed length');
  t.same(shapeDiff({ N: 'BNB' }, { N: null }), [], 'null in an example means "absent value": a string is fine');
});

t.test('a list answer is checked element by element and may not be empty', async (t) => {
  t.same(conformance('rest.tickerPrice', []).problems, ['$: an empty list proves nothing']);
  t.same(conformance('rest.tickerPrice', [{ symbol: 'A', price: '1' }, { symbol: 'B' }]).problems, ['$[1].price: missing']);
});

t.test("the examples come from one commit of Binance's docs", async (t) => {
  t.match(DOCS.source, 'binance-spot-api-docs');
  t.match(DOCS.commit, /^[0-9a-f]{40}$/);
  t.ok(Object.keys(DOCS.examples).length >= 60);
});
