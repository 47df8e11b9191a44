// Given / when / then over events: the alert decider. An alert is set ACTIVE, cancelled only while
// active, and triggered once, by a price at or past its price from its side, and never again.
import type { AlertEvent, DomainEvent, SetAlert } from '@blotter/schemas';
import t from 'tap';
import {
  AlertClosedError,
  AlertNotFoundError,
  type AlertsState,
  accountAggregate,
  alertsAggregate,
  cancelAlert,
  evolveAlerts,
  InvalidAlertError,
  initialAlertsState,
  MAX_ACTIVE_ALERTS,
  setAlert,
  triggerAlert,
} from '../src/index.ts';

const USER = '0192f4a7-0000-7000-8000-000000000001';
const ALERT = '0192f4b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b';
const AT = '2026-11-24T12:00:00.000Z';

const set = (over: Partial<SetAlert> = {}): SetAlert => ({
  commandId: `alert-${over.alertId ?? ALERT}`,
  userId: USER,
  alertId: ALERT,
  at: AT,
  symbol: 'BTCUSDT',
  condition: 'ABOVE',
  price: '70000',
  note: '',
  ...over,
});
const alertSet = (over: Partial<SetAlert> = {}): AlertEvent => setAlert(set(over), initialAlertsState())[0] as AlertEvent;
const trigger = (price: string, alertId = ALERT, symbol = 'BTCUSDT') => ({
  commandId: `trigger-${alertId}`,
  userId: USER,
  alertId,
  at: '2026-11-24T12:30:00.000Z',
  symbol,
  price,
});
const cancel = (alertId = ALERT) => ({ commandId: 'c', userId: USER, alertId, at: AT });

/** Folds events into the alert aggregate, each at its own sequence, one second apart from AT. */
function given(...events: DomainEvent[]): AlertsState {
  return events.reduce(
    (s, e, i) => evolveAlerts(s, e, { seq: i + 10, occurredAt: new Date(Date.parse(AT) + i * 1000).toISOString() }),
    initialAlertsState(),
  );
}

t.test('SetAlert records the alert, ACTIVE, with its time and version from the event', async (t) => {
  const events = setAlert(set({ note: 'take profit' }), given());
  t.same(events, [
    {
      type: 'AlertSet',
      data: { alertId: ALERT, userId: USER, symbol: 'BTCUSDT', condition: 'ABOVE', price: '70000', note: 'take profit' },
    },
  ]);
  const state = given(...events);
  t.match(state.alerts[ALERT], {
    status: 'ACTIVE',
    createdAt: AT,
    triggeredAt: null,
    triggerPrice: null,
    version: 10,
    note: 'take profit',
  });
});

t.test('SetAlert: a repeat of the same command appends nothing; other terms under the same id are refused', async (t) => {
  const state = given(alertSet());
  t.same(setAlert(set(), state), []);
  t.throws(() => setAlert(set({ price: '71000' }), state), InvalidAlertError);
  t.throws(() => setAlert(set({ alertId: '0192f4b0-1c2d-7e3f-8a4b-000000000002', price: '0' }), state), InvalidAlertError);
});

t.test('SetAlert: a user holds at most MAX_ACTIVE_ALERTS active alerts; closed ones do not count', async (t) => {
  const id = (i: number) => `0192f4b0-1c2d-7e3f-8a4b-${i.toString(16).padStart(12, '0')}`;
  const full = given(...Array.from({ length: MAX_ACTIVE_ALERTS }, (_, i) => alertSet({ alertId: id(i) })));
  t.throws(() => setAlert(set({ alertId: id(100_000) }), full), InvalidAlertError);
  const oneClosed = evolveAlerts(full, { type: 'AlertCancelled', data: { alertId: id(0), userId: USER } }, { seq: 999, occurredAt: AT });
  t.equal(setAlert(set({ alertId: id(100_000) }), oneClosed).length, 1);
});

t.test('TriggerAlert: ABOVE fires at or above its price, BELOW at or below, never on the other side', async (t) => {
  const above = given(alertSet());
  t.same(triggerAlert(trigger('69999.99'), above), [], 'below an ABOVE alert: nothing');
  t.same(triggerAlert(trigger('70000'), above), [
    { type: 'AlertTriggered', data: { alertId: ALERT, userId: USER, symbol: 'BTCUSDT', price: '70000' } },
  ]);
  t.equal(triggerAlert(trigger('70000.01'), above).length, 1);
  const below = given(alertSet({ condition: 'BELOW', price: '2500.5' }));
  t.same(triggerAlert(trigger('2500.51'), below), []);
  t.equal(triggerAlert(trigger('2500.50'), below).length, 1, 'decimals compared exactly, not as strings');
  t.same(triggerAlert(trigger('80000', ALERT, 'ETHUSDT'), above), [], 'a price of another symbol');
});

t.test('TriggerAlert: once triggered, never again; the trigger price and time are recorded', async (t) => {
  const fired = triggerAlert(trigger('70100.5'), given(alertSet()));
  const state = given(alertSet(), ...fired);
  t.match(state.alerts[ALERT], { status: 'TRIGGERED', triggerPrice: '70100.5', triggeredAt: '2026-11-24T12:00:01.000Z', version: 11 });
  t.same(triggerAlert(trigger('75000'), state), [], 'a second crossing');
  t.throws(() => cancelAlert(cancel(), state), AlertClosedError, 'a triggered alert cannot be cancelled');
});

t.test('CancelAlert: only an active alert of the caller; a cancelled one triggers no more', async (t) => {
  t.throws(() => cancelAlert(cancel(), given()), AlertNotFoundError);
  const events = cancelAlert(cancel(), given(alertSet()));
  t.same(events, [{ type: 'AlertCancelled', data: { alertId: ALERT, userId: USER } }]);
  const state = given(alertSet(), ...events);
  t.equal(state.alerts[ALERT]?.status, 'CANCELED');
  t.throws(() => cancelAlert(cancel(), state), AlertClosedError);
  t.same(triggerAlert(trigger('90000'), state), []);
  t.same(triggerAlert(trigger('90000', '0192f4b0-1c2d-7e3f-8a4b-00000000ffff'), state), [], 'an unknown alert');
});

t.test('the two aggregates of one scope ignore each other and snapshot under their own keys', async (t) => {
  const opened: DomainEvent = { type: 'AccountOpened', data: { userId: USER, email: 'a@example.com', venue: 'paper', deposits: [] } };
  t.same(given(opened), initialAlertsState(), 'an account event leaves the alerts as they are');
  const account = accountAggregate.evolve(accountAggregate.initialState(), { ...alertSet(), seq: 1, occurredAt: AT });
  t.same(account, accountAggregate.initialState(), 'an alert event leaves the account as it is');
  t.not(alertsAggregate.snapshot.key(USER), accountAggregate.snapshot.key(USER));
  t.ok(alertsAggregate.snapshot.check(given(alertSet())));
  t.notOk(alertsAggregate.snapshot.check({ alerts: { x: { status: 'ACTIVE' } } }));
});
