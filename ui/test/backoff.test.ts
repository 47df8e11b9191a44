import t from 'tap';
import { backoffDelay, DEFAULT_BACKOFF } from '../src/lib/live/backoff.ts';

t.test('delays grow exponentially between half and all of the capped step', async (t) => {
  const lo = () => 0;
  const hi = () => 0.999999;
  t.equal(backoffDelay(0, lo), 250);
  t.equal(backoffDelay(0, hi), 500);
  t.equal(backoffDelay(1, lo), 500);
  t.equal(backoffDelay(3, lo), 2000);
  t.equal(backoffDelay(3, hi), 4000);
});

t.test('the cap holds for any attempt, and jitter never collapses to zero', async (t) => {
  for (const attempt of [6, 7, 20, 1000]) {
    t.equal(
      backoffDelay(attempt, () => 0.999999),
      DEFAULT_BACKOFF.maxMs,
      `attempt ${attempt} at most the cap`,
    );
    t.equal(
      backoffDelay(attempt, () => 0),
      DEFAULT_BACKOFF.maxMs / 2,
      `attempt ${attempt} at least half the cap`,
    );
  }
  const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
  t.ok(seen.size > 10, 'Math.random spreads reconnects');
});

t.test('options are honoured', async (t) => {
  t.equal(
    backoffDelay(2, () => 0.5, { baseMs: 100, maxMs: 1000, factor: 3 }),
    675,
  );
  t.equal(
    backoffDelay(-1, () => 0),
    250,
    'negative attempts count as the first',
  );
});
