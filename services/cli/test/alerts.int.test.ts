// Price alerts in the auditor's tools: a triggered alert is in `blotter events` (by type and by
// user), `blotter verify` finds the alerts read model identical to a rebuild from the stream, and
// `blotter schemas` lists the alert schemas.
import { ScopeRepository } from '@blotter/eventstore';
import { as, eventually, register, startStack } from '@blotter/test-kit';
import { type AlertsState, alertsAggregate, triggerAlert } from '@blotter/orders';
import type { DomainEvent } from '@blotter/schemas';
import t from 'tap';
import { blotter } from './support.ts';

const stack = await startStack(t);
const { app } = stack;

t.test('a triggered alert is in the history, and the alerts read model verifies', async (t) => {
  const trader = await register(app);
  const api = as(app, trader);
  const { alert } = (
    await api({ method: 'POST', url: '/api/alerts', payload: { symbol: 'BTCUSDT', condition: 'ABOVE', price: '0.01', note: 'cli' } })
  ).json();
  const kept = (await api({ method: 'POST', url: '/api/alerts', payload: { symbol: 'ETHUSDT', condition: 'BELOW', price: '0.01' } })).json()
    .alert;
  // The evaluator's own step (services/market/src/alerts): the alert decider on the user's scope.
  const repo = ScopeRepository.forUsers<AlertsState, DomainEvent>(stack.store, alertsAggregate);
  const at = new Date().toISOString();
  const command = {
    commandId: `trigger-${alert.alertId}`,
    userId: trader.userId,
    alertId: alert.alertId,
    at,
    symbol: 'BTCUSDT',
    price: '64250.5',
  };
  const target = {
    subject: stack.store.subjects.alert(trader.userId, alert.alertId),
    aggregateId: alert.alertId,
    commitId: command.commandId,
    occurredAt: at,
  };
  const result = await repo.decide(trader.userId, target, (state) => triggerAlert(command, state));
  t.equal(result.events.length, 1);

  const history = JSON.parse((await blotter(stack, 'events', '--type', 'AlertTriggered', '--json')).out);
  t.equal(history.length, 1);
  t.match(history[0], {
    type: 'AlertTriggered',
    aggregateId: alert.alertId,
    data: { alertId: alert.alertId, userId: trader.userId, price: '64250.5' },
  });
  const mine = JSON.parse((await blotter(stack, 'events', '--user', trader.email, '--json')).out) as { type: string }[];
  t.same(
    mine.map((e) => e.type).filter((type) => type.startsWith('Alert')),
    ['AlertSet', 'AlertSet', 'AlertTriggered'],
    "the user's history holds every alert event in order",
  );
  const table = await blotter(stack, 'events', '--type', 'AlertTriggered');
  t.match(table.out, /AlertTriggered/);

  await eventually(
    async () => {
      const all = (await api({ method: 'GET', url: '/api/alerts' })).json().alerts as { alertId: string; status: string }[];
      return all.find((a) => a.alertId === alert.alertId)?.status === 'TRIGGERED' && all.some((a) => a.alertId === kept.alertId);
    },
    20_000,
    'the read model to show the trigger',
  );
  const verify = await blotter(stack, 'verify', '--json');
  t.equal(verify.code, 0, verify.out);

  const schemas = await blotter(stack, 'schemas', '--json');
  const names = (JSON.parse(schemas.out) as { name: string }[]).map((s) => s.name);
  for (const name of ['AlertSet', 'AlertCancelled', 'AlertTriggered', 'SetAlert', 'CancelAlert', 'TriggerAlert', 'Alert'])
    t.ok(names.includes(name), name);
});
