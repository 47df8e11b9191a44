// The login limit's sliding minute (auth/attempts.ts): an attempt is judged on this window's count
// plus the previous window's weighted by the part of it the last minute still covers, and the
// Retry-After it answers is the first moment one more attempt would pass if none came meanwhile.
import t from 'tap';
import { slidingVerdict, WINDOW_MS } from '../src/auth/attempts.ts';

/** The estimate an attempt made `afterMs` from now would be judged on (it counts itself). */
function estimateOfNextAttempt(previous: number, current: number, elapsed: number, afterMs: number): number {
  const at = elapsed + afterMs;
  if (at < WINDOW_MS) return (previous * (WINDOW_MS - at)) / WINDOW_MS + current + 1;
  if (at < 2 * WINDOW_MS) return (current * (2 * WINDOW_MS - at)) / WINDOW_MS + 1;
  return 1;
}

t.test('within the limit: no wait', async (t) => {
  t.equal(slidingVerdict(2, 0, 1, 5_000), 0);
  t.equal(slidingVerdict(2, 0, 2, 59_000), 0);
  t.equal(slidingVerdict(2, 1, 1, 0), 0, 'one late in the last window and one now make two');
  t.equal(slidingVerdict(2, 4, 1, 59_999), 0, 'the previous window has all but left the minute');
});

t.test('the limit holds across a window boundary', async (t) => {
  // Two guesses at 12:00:59.9, the third at 12:01:00.0: fixed windows would let it through.
  t.ok(slidingVerdict(2, 2, 1, 0) > 0, 'the third guess in a minute is refused');
  t.ok(slidingVerdict(10, 10, 1, 100) > 0);
});

t.test('Retry-After is when one more attempt would pass', async (t) => {
  t.equal(slidingVerdict(2, 0, 3, 20_000), 40 + 40, 'rest of this window, then until 3 × (1 − e/W) + 1 ≤ 2');
  t.equal(slidingVerdict(2, 2, 1, 1_000), 59, 'at the end of this window');
  t.equal(slidingVerdict(5, 6, 2, 10_000), 30, '6 × (W − e)/W + 3 ≤ 5 from e = 40 s');
  t.equal(slidingVerdict(1, 0, 2, 0), 120, 'a limit of one waits out two windows');
});

t.test('property: the wait is enough, and not a second more than needed', async (t) => {
  let checked = 0;
  for (let i = 0; i < 20_000; i++) {
    const max = 1 + Math.floor(Math.random() * 20);
    const previous = Math.floor(Math.random() * 3 * max);
    const current = 1 + Math.floor(Math.random() * 3 * max);
    const elapsed = Math.floor(Math.random() * WINDOW_MS);
    const wait = slidingVerdict(max, previous, current, elapsed);
    const now = (previous * (WINDOW_MS - elapsed)) / WINDOW_MS + current;
    if (wait === 0) {
      if (now > max) t.fail(`${JSON.stringify({ max, previous, current, elapsed })}: let through at ${now}`);
      continue;
    }
    checked++;
    if (now <= max) t.fail(`${JSON.stringify({ max, previous, current, elapsed })}: refused at ${now}`);
    const after = estimateOfNextAttempt(previous, current, elapsed, wait * 1000);
    if (after > max + 1e-9) t.fail(`${JSON.stringify({ max, previous, current, elapsed, wait })}: still ${after} after the wait`);
    const before = estimateOfNextAttempt(previous, current, elapsed, (wait - 1) * 1000 - 1);
    if (wait > 1 && before <= max)
      t.fail(`${JSON.stringify({ max, previous, current, elapsed, wait })}: would pass a second earlier (${before})`);
  }
  t.ok(checked > 1_000, `${checked} refusals checked`);
});
