import t from 'tap';
import { newClientOrderId, outcomeOf, SubmissionTracker } from '../src/lib/trading/submission.ts';

const terms = {
  symbol: 'BTCUSDT',
  side: 'BUY' as const,
  type: 'LIMIT' as const,
  quantity: '0.01',
  price: '64000',
  timeInForce: 'GTC' as const,
};

const counter = () => {
  let i = 0;
  return () => `id-${++i}`;
};

t.test('a second submit while one is in flight is refused (double click)', async (t) => {
  const tr = new SubmissionTracker(counter());
  t.equal(tr.begin(terms), 'id-1');
  t.equal(tr.inFlight, true);
  t.equal(tr.begin(terms), null);
  tr.finish('settled');
  t.equal(tr.inFlight, false);
});

t.test('a retry of the same terms after a network error reuses the id', async (t) => {
  const tr = new SubmissionTracker(counter());
  t.equal(tr.begin(terms), 'id-1');
  tr.finish(outcomeOf(null));
  t.equal(tr.begin({ ...terms }), 'id-1', 'same terms, same id: the gateway answers 200 with the same order');
  tr.finish('settled');
  t.equal(tr.begin(terms), 'id-2', 'once settled, the next order is a new one');
});

t.test('changed terms after a failure get a new id', async (t) => {
  const tr = new SubmissionTracker(counter());
  tr.begin(terms);
  tr.finish('retryable');
  t.equal(tr.begin({ ...terms, quantity: '0.02' }), 'id-2');
});

t.test('which answers are safe to retry with the same id', async (t) => {
  t.equal(outcomeOf(null), 'retryable');
  t.equal(outcomeOf(502), 'retryable');
  t.equal(outcomeOf(429), 'retryable');
  t.equal(outcomeOf(201), 'settled');
  t.equal(outcomeOf(200), 'settled');
  t.equal(outcomeOf(422), 'settled');
  t.equal(outcomeOf(400), 'settled');
});

t.test("client order ids fit Binance's rule and differ", async (t) => {
  const a = newClientOrderId();
  const b = newClientOrderId();
  t.match(a, /^[a-zA-Z0-9_-]{1,36}$/);
  t.not(a, b);
  t.equal(
    newClientOrderId(() => new Uint8Array(24)),
    `ui-${'a'.repeat(24)}`,
  );
});
