// The one backoff formula: doubling from the first delay, capped however many failures.
import t from 'tap';
import { backoffDelay } from '../src/backoff.ts';

t.test('doubles from initialMs and stops at maxMs', async (t) => {
  const b = { initialMs: 200, maxMs: 10_000 };
  t.same(
    [0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, b)),
    [200, 400, 800, 1600, 3200, 6400, 10_000, 10_000],
  );
});

t.test('a long outage (2 ** attempt overflows to Infinity) still yields the cap', async (t) => {
  t.equal(backoffDelay(5_000, { initialMs: 250, maxMs: 15_000 }), 15_000);
});
