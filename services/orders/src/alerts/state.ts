// The alert aggregate: one user's alerts, folded from the alert events of the user's scope. It is
// a state of its own next to the account aggregate (an alert decision needs nothing the account
// holds), but a ScopeRepository over the same scope (every subject of the user), so each alert
// append carries the scope's last sequence and loses to any concurrent append of that user: the
// exactly-once guarantee of a trigger rests on that check, not on a lock.
import { type Alert, AlertsAggregate, type DomainEvent, isAlertEvent } from '@blotter/schemas';
import { Compile } from 'typebox/compile';

export type AlertsState = AlertsAggregate;

export const initialAlertsState = (): AlertsState => ({ alerts: {} });

/** Where and when the event was recorded: the alert's times and version come from here. */
export interface AlertEventPosition {
  seq: number;
  occurredAt: string;
}

/** One alert after one of its events. Pure: the read model applies this same function. */
export function evolveAlert(alert: Alert | undefined, event: DomainEvent, at: AlertEventPosition): Alert | undefined {
  switch (event.type) {
    case 'AlertSet': {
      const d = event.data;
      return {
        alertId: d.alertId,
        userId: d.userId,
        symbol: d.symbol,
        condition: d.condition,
        price: d.price,
        note: d.note,
        status: 'ACTIVE',
        createdAt: at.occurredAt,
        triggeredAt: null,
        triggerPrice: null,
        version: at.seq,
      };
    }
    case 'AlertCancelled':
      return alert && { ...alert, status: 'CANCELED', version: at.seq };
    case 'AlertTriggered':
      return alert && { ...alert, status: 'TRIGGERED', triggeredAt: at.occurredAt, triggerPrice: event.data.price, version: at.seq };
    default:
      return alert;
  }
}

/** Folds one event of the user's scope; anything but an alert event leaves the state as it is. */
export function evolveAlerts(state: AlertsState, event: DomainEvent, at: AlertEventPosition): AlertsState {
  if (!isAlertEvent(event)) return state;
  const id = event.data.alertId;
  const next = evolveAlert(state.alerts[id], event, at);
  return next ? { alerts: { ...state.alerts, [id]: next } } : state;
}

/** Alerts still waiting for their price. */
export const activeAlerts = (state: AlertsState): Alert[] => Object.values(state.alerts).filter((a) => a.status === 'ACTIVE');

const checkAlerts = Compile(AlertsAggregate);

/** The alert aggregate for a ScopeRepository (snapshots under their own key, beside the account's). */
export const alertsAggregate = {
  initialState: initialAlertsState,
  evolve: (state: AlertsState, event: DomainEvent & AlertEventPosition): AlertsState => evolveAlerts(state, event, event),
  snapshot: {
    key: (userId: string) => `alerts.${userId}`,
    format: 1,
    check: (value: unknown): value is AlertsState => checkAlerts.Check(value),
  },
};
