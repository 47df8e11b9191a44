// /api/alerts and the WebSocket `alerts` channel on the real stack (NATS, Postgres, the simulator's
// market feed, the projector), with the alert evaluator running as the market feed process runs it:
// every error code of the contract changes nothing, a set alert is listed, cancelled once, and a
// triggered one reaches every open socket of its owner, and only theirs, in version order.
import { silentLogger } from '@blotter/eventstore';
import { AlertEvaluator } from '@blotter/market';
import t from 'tap';
import { as, eventually, liveClient, register, startStack, streamCount } from '@blotter/test-kit';

const stack = await startStack(t);
const { app } = stack;
const evaluator = new AlertEvaluator({ store: stack.store, nc: app.nc, log: silentLogger });
await evaluator.start();
stack.onClose(() => evaluator.stop());

type AlertBody = { alertId: string; status: string; price: string; note: string; triggerPrice: string | null; triggeredAt: string | null };
/** An ABOVE price far over any simulated price: it never triggers during the test. */
const NEVER = '99999999';

t.test('without a token: 401', async (t) => {
  for (const [method, url] of [
    ['GET', '/api/alerts'],
    ['POST', '/api/alerts'],
    ['DELETE', '/api/alerts/0192f4b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b'],
  ] as const) {
    const res = await app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
    t.equal(res.statusCode, 401, `${method} ${url}`);
    t.equal(res.json().error.code, 'UNAUTHENTICATED');
  }
});

t.test('bad bodies: 400 VALIDATION_FAILED; an unknown symbol: 422 UNKNOWN_SYMBOL; nothing is written', async (t) => {
  const api = as(app, await register(app));
  const before = await streamCount(stack);
  const bad: [unknown, string][] = [
    [{ symbol: 'BTCUSDT', condition: 'ABOVE' }, 'no price'],
    [{ symbol: 'BTCUSDT', condition: 'SIDEWAYS', price: '1' }, 'an unknown condition'],
    [{ symbol: 'BTCUSDT', condition: 'ABOVE', price: 70000 }, 'a number, not a decimal string'],
    [{ symbol: 'BTCUSDT', condition: 'ABOVE', price: '-1' }, 'a negative price'],
    [{ symbol: 'BTCUSDT', condition: 'ABOVE', price: '1e5' }, 'an exponent'],
    [{ symbol: 'BTCUSDT', condition: 'ABOVE', price: '0' }, 'a zero price'],
    [{ symbol: 'btcusdt', condition: 'ABOVE', price: '1' }, 'a lower-case symbol'],
    [{ symbol: 'BTCUSDT', condition: 'ABOVE', price: '1', note: 'x'.repeat(201) }, 'a note over 200 characters'],
    [{ symbol: 'BTCUSDT', condition: 'ABOVE', price: '1', extra: true }, 'an unknown property'],
  ];
  for (const [payload, what] of bad) {
    const res = await api({ method: 'POST', url: '/api/alerts', payload: payload as object });
    t.equal(res.statusCode, 400, what);
    t.equal(res.json().error.code, 'VALIDATION_FAILED', what);
  }
  const unknown = await api({ method: 'POST', url: '/api/alerts', payload: { symbol: 'NOPEUSDT', condition: 'ABOVE', price: '1' } });
  t.equal(unknown.statusCode, 422);
  t.equal(unknown.json().error.code, 'UNKNOWN_SYMBOL');
  const badStatus = await api({ method: 'GET', url: '/api/alerts?status=open' });
  t.equal(badStatus.statusCode, 400);
  t.equal(badStatus.json().error.code, 'VALIDATION_FAILED');
  const badId = await api({ method: 'DELETE', url: '/api/alerts/not-a-uuid' });
  t.equal(badId.statusCode, 400);
  t.equal(await streamCount(stack), before, 'no refused request appended anything');
  t.same((await api({ method: 'GET', url: '/api/alerts' })).json().alerts, []);
});

t.test('set, list by status, cancel once: 201, 204, then 409 ALERT_CLOSED; another user gets 404 ALERT_NOT_FOUND', async (t) => {
  const ada = await register(app);
  const api = as(app, ada);
  const created = await api({
    method: 'POST',
    url: '/api/alerts',
    payload: { symbol: 'BTCUSDT', condition: 'ABOVE', price: `${NEVER}.50`, note: 'moon' },
  });
  t.equal(created.statusCode, 201, created.body);
  const alert = created.json().alert;
  t.match(alert, {
    userId: ada.userId,
    symbol: 'BTCUSDT',
    condition: 'ABOVE',
    price: `${NEVER}.5`,
    note: 'moon',
    status: 'ACTIVE',
    triggeredAt: null,
    triggerPrice: null,
  });
  t.ok(alert.version > 0);
  const plain = (
    await api({ method: 'POST', url: '/api/alerts', payload: { symbol: 'ETHUSDT', condition: 'BELOW', price: '0.00000001' } })
  ).json().alert;
  t.equal(plain.note, '', 'the note is optional');

  const listed = await eventually(
    async () => {
      const body = (await api({ method: 'GET', url: '/api/alerts?status=active' })).json();
      return body.alerts.length === 2 ? body : undefined;
    },
    20_000,
    'both alerts in the read model',
  );
  t.same(
    listed.alerts.map((a: AlertBody) => a.alertId),
    [plain.alertId, alert.alertId],
    'newest first',
  );
  t.same(listed.alerts[1], alert, 'the listed alert is the one POST returned');
  t.ok(listed.version >= alert.version, 'the list carries the channel version');
  t.same((await api({ method: 'GET', url: '/api/alerts?status=triggered' })).json().alerts, []);

  const bob = as(app, await register(app));
  const before = await streamCount(stack);
  const foreign = await bob({ method: 'DELETE', url: `/api/alerts/${alert.alertId}` });
  t.equal(foreign.statusCode, 404, 'another user cannot even see it');
  t.equal(foreign.json().error.code, 'ALERT_NOT_FOUND');
  t.equal((await api({ method: 'DELETE', url: '/api/alerts/0192f4b0-1c2d-7e3f-8a4b-00000000dead' })).json().error.code, 'ALERT_NOT_FOUND');
  t.equal(await streamCount(stack), before);

  const cancelled = await api({ method: 'DELETE', url: `/api/alerts/${alert.alertId}` });
  t.equal(cancelled.statusCode, 204);
  t.equal(cancelled.body, '');
  const again = await api({ method: 'DELETE', url: `/api/alerts/${alert.alertId}` });
  t.equal(again.statusCode, 409);
  t.equal(again.json().error.code, 'ALERT_CLOSED');
  await eventually(
    async () => {
      const all = (await api({ method: 'GET', url: '/api/alerts?status=all' })).json().alerts as AlertBody[];
      return all.find((a) => a.alertId === alert.alertId)?.status === 'CANCELED' || undefined;
    },
    20_000,
    'the cancel in the read model',
  );
  const active = (await api({ method: 'GET', url: '/api/alerts' })).json().alerts as AlertBody[];
  t.same(active.map((a) => a.status).sort(), ['ACTIVE', 'CANCELED'], 'no status: all of them');
  t.same(
    (await api({ method: 'GET', url: '/api/alerts?status=active' })).json().alerts.map((a: AlertBody) => a.alertId),
    [plain.alertId],
  );
});

t.test('a triggered alert reaches every open socket of its owner, once, in version order, and no one else', async (t) => {
  const ada = await register(app);
  const api = as(app, ada);
  const other = await register(app);
  const tabs = await Promise.all([liveClient(stack, ada.token), liveClient(stack, ada.token), liveClient(stack, other.token)]);
  for (const tab of tabs) {
    await tab.next((m) => m.type === 'ready');
    tab.send({ type: 'subscribe', channels: ['alerts'] });
    await tab.next((m) => m.type === 'snapshot' && m.channel === 'alerts', 'alerts snapshot');
  }
  t.teardown(() => {
    for (const tab of tabs) tab.close();
  });
  // ABOVE a price every simulated price is above: the next tick of the feed crosses it.
  const res = await api({
    method: 'POST',
    url: '/api/alerts',
    payload: { symbol: 'BTCUSDT', condition: 'ABOVE', price: '0.01', note: 'now' },
  });
  t.equal(res.statusCode, 201);
  const { alertId } = res.json().alert;
  const [first, second, stranger] = tabs as [(typeof tabs)[0], (typeof tabs)[0], (typeof tabs)[0]];
  for (const tab of [first, second]) {
    await tab.next(
      (m) =>
        m.type === 'update' &&
        m.channel === 'alerts' &&
        (m.data as AlertBody[]).some((a) => a.alertId === alertId && a.status === 'TRIGGERED'),
      'the TRIGGERED update',
    );
  }
  const updates = first.messages.filter((m) => m.channel === 'alerts') as {
    type: string;
    version: number;
    prevVersion?: number;
    data: AlertBody[];
  }[];
  t.equal(updates[0]?.type, 'snapshot');
  for (let i = 1; i < updates.length; i++) {
    t.equal(updates[i]?.prevVersion, updates[i - 1]?.version, `update ${i} follows the previous version`);
  }
  const statuses = updates.flatMap((u) => u.data.filter((a) => a.alertId === alertId).map((a) => a.status));
  t.same(statuses, ['ACTIVE', 'TRIGGERED'], 'set, then triggered, each once');
  const fired = updates.at(-1)?.data.find((a) => a.alertId === alertId) as AlertBody;
  t.ok(Number(fired.triggerPrice) >= 0.01, `the crossing price is recorded (${fired.triggerPrice})`);
  t.ok(fired.triggeredAt);
  t.notOk(
    stranger.messages.some((m) => m.type === 'update' && m.channel === 'alerts'),
    "another user's socket receives nothing of it",
  );
  const triggered = (await api({ method: 'GET', url: '/api/alerts?status=triggered' })).json().alerts as AlertBody[];
  t.same(
    triggered.map((a) => a.alertId),
    [alertId],
  );
  const late = await api({ method: 'DELETE', url: `/api/alerts/${alertId}` });
  t.equal(late.statusCode, 409, 'a triggered alert cannot be cancelled');
  t.equal(late.json().error.code, 'ALERT_CLOSED');
});

t.test('the alert schemas are published', async (t) => {
  const names = (await app.inject({ method: 'GET', url: '/api/schemas' })).json().map((s: { name: string }) => s.name);
  for (const name of [
    'SetAlert',
    'CancelAlert',
    'TriggerAlert',
    'AlertSet',
    'AlertCancelled',
    'AlertTriggered',
    'Alert',
    'SetAlertRequest',
    'AlertList',
  ]) {
    t.ok(names.includes(name), name);
  }
});
