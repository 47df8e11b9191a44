// Tamper evidence: a commit forged onto an order's subject (a wrong link, or content that does not
// match its own hash) is reported by `blotter verify` as the first broken link of that order's
// chain; an undecodable message lands in the dead letters and `dlq` shows it.
import t from 'tap';
import { commitHash, uuidv7 } from '@blotter/eventstore';
import { as, eventually, register, startStack } from '@blotter/test-kit';
import { blotter } from './support.ts';

const stack = await startStack(t, { executor: 'in-process' });
const { app, store } = stack;
const encoder = new TextEncoder();

async function filledOrder() {
  const s = await register(app);
  const api = as(app, s);
  const { order } = (
    await api({ method: 'POST', url: '/api/orders', payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' } })
  ).json();
  await eventually(async () =>
    (await api({ method: 'GET', url: `/api/orders/${order.orderId}` })).json().order.status === 'FILLED' ? true : undefined,
  );
  return { s, order, subject: store.subjects.order(s.userId, order.orderId) };
}

function envelope(subject: string, userId: string, orderId: string) {
  return {
    eventId: uuidv7(),
    type: 'OrderCancelRejected',
    version: 1,
    subject,
    aggregateId: orderId,
    userId,
    occurredAt: new Date().toISOString(),
    causationId: null,
    correlationId: null,
    data: { orderId, code: '-2011', reason: 'forged' },
  };
}

t.test('verify is clean before anything is forged', async (t) => {
  await filledOrder();
  t.equal((await blotter(stack, 'verify')).code, 0);
});

t.test('a forged commit with a wrong link, and one whose content does not match its hash', async (t) => {
  const a = await filledOrder();
  const events = [envelope(a.subject, a.s.userId, a.order.orderId)];
  const wrongLink = { commitId: uuidv7(), events, prevHash: 'f'.repeat(64), hash: commitHash('f'.repeat(64), events) };
  const forged = await store.js.publish(a.subject, encoder.encode(JSON.stringify(wrongLink)));

  const b = await filledOrder();
  const last = await store.last(b.subject);
  const honest = [envelope(b.subject, b.s.userId, b.order.orderId)];
  const altered = {
    commitId: uuidv7(),
    events: [{ ...honest[0], data: { ...honest[0]?.data, reason: 'altered' } }],
    prevHash: last?.hash ?? null,
    hash: commitHash(last?.hash ?? null, honest),
  };
  const alteredAck = await store.js.publish(b.subject, encoder.encode(JSON.stringify(altered)));

  const res = await blotter(stack, 'verify', '--json');
  t.equal(res.code, 1);
  const report = JSON.parse(res.out);
  t.match(report.chain.brokenLinks, [
    { subject: a.subject, seq: forged.seq, reason: /prevHash does not match/ },
    { subject: b.subject, seq: alteredAck.seq, reason: /content does not match its hash/ },
  ]);
  const human = await blotter(stack, 'verify');
  t.match(human.out, new RegExp(`BROKEN ${a.subject.replaceAll('.', '\\.')} at sequence ${forged.seq}`));
});

t.test('an undecodable message is dead-lettered and listed; dlq replay keeps it and says why', async (t) => {
  const c = await filledOrder();
  const bad = await store.js.publish(c.subject, encoder.encode('{"definitely": "not a commit"}'));
  const listed = await eventually(
    async () => {
      const out = JSON.parse((await blotter(stack, 'dlq', 'list', '--json')).out);
      return out.length > 0 ? out : undefined;
    },
    30_000,
    'the dead letter',
  );
  t.match(listed, [{ originalSeq: bad.seq, subject: c.subject, consumer: 'projector', error: /not a commit/ }]);
  const replayed = await blotter(stack, 'dlq', 'replay');
  t.equal(replayed.code, 1, 'still undecodable: exit 1');
  const verified = JSON.parse((await blotter(stack, 'verify', '--json')).out);
  t.match(verified.undecodable, [{ seq: bad.seq, subject: c.subject }], 'verify reports the undecodable message');
  t.match(replayed.out, new RegExp(`still undecodable: ${bad.seq}`));
  t.equal(JSON.parse((await blotter(stack, 'dlq', 'list', '--json')).out).length, 1, 'and it stays listed');
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  t.match(metrics.body, /blotter_dead_letters 1/);
});
