// The live `alerts` channel in the tab's store, and the toast a trigger makes: snapshot then
// updates in version order, a gap re-subscribes, and only the transition to TRIGGERED toasts.
import t from 'tap';
import { alertToast, sortForDisplay, watchAlerts } from '../src/lib/alerts/toasts.ts';
import { ACCOUNT_CHANNELS, type AlertRow, parseChannel } from '../src/lib/live/channels.ts';
import { type AlertChange, alertsOf, awaitSnapshot, emptyState, isSynced, type LiveState, reduce } from '../src/lib/live/reducer.ts';

const alert = (over: Partial<AlertRow> = {}): AlertRow => ({
  alertId: '0192f4b0-1c2d-7e3f-8a4b-000000000001',
  symbol: 'BTCUSDT',
  condition: 'ABOVE',
  price: '70000',
  note: '',
  status: 'ACTIVE',
  createdAt: '2026-11-24T12:00:00.000Z',
  triggeredAt: null,
  triggerPrice: null,
  version: 5,
  ...over,
});
const snap = (state: LiveState, version: number, data: unknown) => reduce(state, { type: 'snapshot', channel: 'alerts', version, data });
const upd = (state: LiveState, prevVersion: number, version: number, data: unknown) =>
  reduce(state, { type: 'update', channel: 'alerts', version, prevVersion, data });

t.test('alerts is an account channel every tab subscribes', async (t) => {
  t.ok((ACCOUNT_CHANNELS as readonly string[]).includes('alerts'));
  t.same(parseChannel('alerts'), { kind: 'alerts' });
});

t.test('snapshot, then a trigger update: the row changes and the change is reported for a toast', async (t) => {
  const s0 = awaitSnapshot(emptyState(), ['alerts']);
  const older = alert({ alertId: '0192f4b0-1c2d-7e3f-8a4b-000000000002', createdAt: '2026-11-24T11:00:00.000Z', version: 3 });
  const r1 = snap(s0, 5, [older, alert()]);
  t.ok(isSynced(r1.state, 'alerts'));
  t.same(
    alertsOf(r1.state).map((a) => a.alertId),
    [alert().alertId, older.alertId],
    'newest first',
  );
  t.same(r1.alertChanges, [], 'a snapshot toasts nothing');
  const fired = alert({ status: 'TRIGGERED', triggerPrice: '70010', triggeredAt: '2026-11-24T12:30:00.000Z', version: 9 });
  const r2 = upd(r1.state, 5, 9, [fired]);
  t.equal(alertsOf(r2.state)[0]?.status, 'TRIGGERED');
  t.same(r2.alertChanges, [{ prev: alert(), next: fired }]);
  t.same(upd(r2.state, 5, 9, [fired]).alertChanges, [], 'a duplicate is dropped');
  const gap = upd(r2.state, 12, 14, [alert({ alertId: '0192f4b0-1c2d-7e3f-8a4b-000000000003' })]);
  t.same(gap.resubscribe, ['alerts'], 'a gap re-subscribes');
  t.notOk(isSynced(gap.state, 'alerts'));
  t.ok(snap(s0, 1, [{ alertId: 'x' }]).rejected, 'a row off the contract is refused');
});

t.test('only the transition to TRIGGERED makes a toast, with the crossing price and the note', async (t) => {
  const fired = alert({ status: 'TRIGGERED', triggerPrice: '70010.5', note: 'take profit' });
  t.same(alertToast({ prev: alert(), next: fired }), {
    kind: 'info',
    title: 'Price alert',
    body: 'BTCUSDT ≥ 70000: BTCUSDT at 70010.5 — take profit',
  });
  t.ok(alertToast({ prev: undefined, next: fired }), 'a trigger of an alert this tab had not seen yet');
  t.equal(alertToast({ prev: fired, next: fired }), null, 'a repeat');
  t.equal(alertToast({ prev: undefined, next: alert() }), null, 'a new alert');
  t.equal(alertToast({ prev: alert(), next: alert({ status: 'CANCELED' }) }), null, 'a cancel');
  const below = alertToast({
    prev: alert(),
    next: alert({ condition: 'BELOW', price: '2500', status: 'TRIGGERED', triggerPrice: '2499' }),
  });
  t.match(below?.body, /BTCUSDT ≤ 2500/);
});

t.test('watchAlerts pushes one toast per trigger the live client reports, and stops', async (t) => {
  const held: { listener: ((changes: AlertChange[]) => void) | null } = { listener: null };
  const live = {
    onAlertChanges(fn: (changes: AlertChange[]) => void) {
      held.listener = fn;
      return () => {
        held.listener = null;
      };
    },
  };
  const pushed: string[] = [];
  const stop = watchAlerts(live, { push: (s) => void pushed.push(s.title) });
  held.listener?.([
    { prev: alert(), next: alert({ status: 'TRIGGERED', triggerPrice: '70001' }) },
    { prev: undefined, next: alert({ alertId: '0192f4b0-1c2d-7e3f-8a4b-000000000009' }) },
  ]);
  t.same(pushed, ['Price alert']);
  stop();
  t.equal(held.listener, null);
});

t.test('the panel lists active alerts first, newest first', async (t) => {
  const rows = [
    alert({ alertId: 'a', status: 'TRIGGERED', createdAt: '2026-11-24T13:00:00.000Z' }),
    alert({ alertId: 'b', createdAt: '2026-11-24T11:00:00.000Z' }),
    alert({ alertId: 'c', createdAt: '2026-11-24T12:00:00.000Z' }),
  ];
  t.same(
    sortForDisplay(rows).map((a) => a.alertId),
    ['c', 'b', 'a'],
  );
});
