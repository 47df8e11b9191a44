// The alert evaluator on real NATS: it rebuilds its active alerts from the stream on every start,
// triggers an alert once when a ticker reaches it, and never twice, whether it restarts, two
// evaluators race for the same crossing, or a cancel races with the trigger. Prices are published
// on the ticker subjects by the test itself, so every crossing is exact and deliberate.
import { type EventStore, ScopeRepository, silentLogger } from '@blotter/eventstore';
import { eventually, openTestStore } from '@blotter/test-kit';
import { type AlertsState, alertsAggregate, cancelAlert, setAlert } from '@blotter/orders';
import type { DomainEvent } from '@blotter/schemas';
import type { NatsConnection } from 'nats';
import t from 'tap';
import { AlertEvaluator } from '../src/index.ts';

const ctx = await openTestStore({ partitions: 2 });
t.teardown(() => ctx.close());
const { store, nc } = ctx;

const users = ['0192f4a7-0000-7000-8000-0000000000a1', '0192f4a7-0000-7000-8000-0000000000a2', '0192f4a7-0000-7000-8000-0000000000a3'];
let next = 0;
const newId = () => `0192f4b0-0000-7000-8000-${(++next).toString(16).padStart(12, '0')}`;
const repoOf = (s: EventStore) => ScopeRepository.forUsers<AlertsState, DomainEvent>(s, alertsAggregate);
/** The gateway's side: a repository of its own, as another process would have. */
const gateway = repoOf(store);

async function set(userId: string, symbol: string, condition: 'ABOVE' | 'BELOW', price: string): Promise<string> {
  const alertId = newId();
  const at = new Date().toISOString();
  const command = { commandId: `alert-${alertId}`, userId, alertId, at, symbol, condition, price, note: '' };
  const target = { subject: store.subjects.alert(userId, alertId), aggregateId: alertId, commitId: command.commandId, occurredAt: at };
  await gateway.decide(userId, target, (state) => setAlert(command, state));
  return alertId;
}

async function tick(conn: NatsConnection, symbol: string, price: string, at = new Date().toISOString()): Promise<void> {
  conn.publish(store.subjects.ticker(symbol), JSON.stringify({ symbol, price, at }));
  await conn.flush();
}

/** The events recorded on one alert's subject, by type. */
async function eventsOf(userId: string, alertId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const commits = await store.readSubject(store.subjects.alert(userId, alertId));
  return commits.flatMap((c) => c.events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown> })));
}
const triggersOf = async (userId: string, alertId: string) => (await eventsOf(userId, alertId)).filter((e) => e.type === 'AlertTriggered');

async function started(): Promise<AlertEvaluator> {
  const evaluator = new AlertEvaluator({ store, nc, log: silentLogger });
  await evaluator.start();
  await nc.flush();
  return evaluator;
}

t.test('a crossing triggers once; a restart rebuilds the active set from the stream and never triggers it again', async (t) => {
  const [ada] = users as [string];
  const first = await started();
  const a = await set(ada, 'BTCUSDT', 'ABOVE', '100');
  const b = await set(ada, 'BTCUSDT', 'ABOVE', '200');
  await eventually(async () => first.activeCount() === 2, 30_000, 'the evaluator to follow the new alerts');
  await tick(nc, 'BTCUSDT', '99.99');
  await tick(nc, 'ETHUSDT', '150');
  await tick(nc, 'BTCUSDT', '100.5');
  const [fired] = await eventually(
    async () => {
      const found = await triggersOf(ada, a);
      return found.length > 0 ? found : undefined;
    },
    30_000,
    'A to trigger',
  );
  t.same(fired?.data, { alertId: a, userId: ada, symbol: 'BTCUSDT', price: '100.5' }, 'the first price at or above it, not 99.99');
  await eventually(async () => first.activeCount() === 1, 30_000, 'A to leave the active set');
  await first.stop();

  // While no evaluator runs, one more alert is set: the next evaluator finds it in the stream.
  const c = await set(ada, 'BTCUSDT', 'BELOW', '50');
  const second = await started();
  t.equal(second.activeCount(), 2, 'B and C are active after the restart; A is not');
  await tick(nc, 'BTCUSDT', '250');
  await eventually(async () => (await triggersOf(ada, b)).length === 1, 30_000, 'B to trigger');
  await tick(nc, 'BTCUSDT', '40');
  await eventually(async () => (await triggersOf(ada, c)).length === 1, 30_000, 'C to trigger');
  await tick(nc, 'BTCUSDT', '300');
  await tick(nc, 'BTCUSDT', '10');
  // A third evaluator started from scratch sees nothing left to do, and the prices that crossed
  // every alert again add no trigger anywhere.
  const third = await started();
  t.equal(third.activeCount(), 0);
  await tick(nc, 'BTCUSDT', '500');
  await eventually(async () => second.activeCount() === 0, 30_000, 'the second evaluator to see every alert closed');
  await Promise.all([second.stop(), third.stop()]);
  for (const [name, id] of [
    ['A', a],
    ['B', b],
    ['C', c],
  ] as const) {
    t.equal((await triggersOf(ada, id)).length, 1, `${name} triggered exactly once`);
  }
});

t.test('a price observed before the alert was set is not a crossing of it', async (t) => {
  const [ada] = users as [string];
  const evaluator = await started();
  t.teardown(() => evaluator.stop());
  const id = await set(ada, 'SOLUSDT', 'ABOVE', '10');
  await eventually(async () => evaluator.activeCount() === 1, 30_000, 'the alert to be followed');
  evaluator.onTicker({ symbol: 'SOLUSDT', price: '11', at: new Date(Date.now() - 60_000).toISOString() });
  evaluator.onTicker({ symbol: 'SOLUSDT', price: '12', at: new Date().toISOString() });
  const fired = await eventually(async () => (await triggersOf(ada, id))[0], 30_000, 'the trigger');
  t.equal(fired.data.price, '12', 'the stale price (11) did not trigger it');
});

t.test('two evaluators racing for the same crossings: every alert triggers exactly once', async (t) => {
  const ids: [string, string][] = [];
  for (const userId of users) for (let i = 0; i < 4; i++) ids.push([userId, await set(userId, 'BNBUSDT', 'ABOVE', `${600 + i}`)]);
  // Two processes: each its own connection, repository and follower.
  const other = await openTestStore({ namespace: ctx.namespace, partitions: 2 });
  t.teardown(() => other.nc.drain());
  const one = await started();
  const two = new AlertEvaluator({ store: other.store, nc: other.nc, log: silentLogger });
  await two.start();
  t.equal(one.activeCount(), ids.length);
  t.equal(two.activeCount(), ids.length);
  // The same price handed to both at once: both decide on a state where every alert is active.
  const ticker = { symbol: 'BNBUSDT', price: '700', at: new Date().toISOString() };
  one.onTicker(ticker);
  two.onTicker(ticker);
  await eventually(async () => one.activeCount() === 0 && two.activeCount() === 0, 30_000, 'both to see every alert closed');
  await Promise.all([one.stop(), two.stop()]);
  for (const [userId, alertId] of ids) t.equal((await triggersOf(userId, alertId)).length, 1, `alert ${alertId} triggered once`);
  t.equal(one.stats.triggered + two.stats.triggered, ids.length, 'one winner per alert');
  t.equal(one.stats.lost + two.stats.lost, ids.length, 'and one loser per alert, which appended nothing');
});

t.test('a cancel racing with the trigger: exactly one of them is recorded', async (t) => {
  const [, bob] = users as [string, string];
  const evaluator = await started();
  t.teardown(() => evaluator.stop());
  const id = await set(bob, 'ETHUSDT', 'BELOW', '3000');
  await eventually(async () => evaluator.activeCount() === 1, 30_000, 'the alert to be followed');
  const at = new Date().toISOString();
  const command = { commandId: `cancel-${id}`, userId: bob, alertId: id, at };
  const target = { subject: store.subjects.alert(bob, id), aggregateId: id, commitId: command.commandId, occurredAt: at };
  evaluator.onTicker({ symbol: 'ETHUSDT', price: '2999', at });
  const cancelled = await gateway
    .decide(bob, target, (state) => cancelAlert(command, state))
    .then(
      () => 'cancelled',
      (err: Error) => err.name,
    );
  await eventually(async () => evaluator.activeCount() === 0, 30_000, 'the alert to close');
  const closing = (await eventsOf(bob, id)).filter((e) => e.type !== 'AlertSet').map((e) => e.type);
  t.equal(closing.length, 1, `one closing event: ${closing.join(', ')}`);
  t.equal(closing[0] === 'AlertCancelled', cancelled === 'cancelled', 'the cancel succeeded exactly when it was recorded');
  if (cancelled !== 'cancelled') t.equal(cancelled, 'AlertClosedError', 'a cancel that lost is refused as ALERT_CLOSED');
});
