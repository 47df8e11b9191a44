// The alert decider: one pure function per command, deciding on the user's alerts. Time, ids and
// the market price arrive on the command; a function returns the events to append (none: a repeat
// or nothing to do) or throws a named error (nothing is written).
import type { AlertEvent, CancelAlert, SetAlert, TriggerAlert } from '@blotter/schemas';
import { dec } from '../money.ts';
import { AlertClosedError, AlertNotFoundError, InvalidAlertError } from './errors.ts';
import type { AlertsState } from './state.ts';

/** Alerts per user that may wait at once: the evaluator holds every active one in memory. */
export const MAX_ACTIVE_ALERTS = 200;

/** SetAlert: a new alert, ACTIVE. A retried command (same id, same terms) appends nothing. */
export function setAlert(cmd: SetAlert, state: AlertsState): AlertEvent[] {
  const existing = state.alerts[cmd.alertId];
  if (existing) {
    const same = existing.symbol === cmd.symbol && existing.condition === cmd.condition && dec(existing.price).eq(cmd.price);
    if (same && existing.note === cmd.note) return [];
    throw new InvalidAlertError(`alert ${cmd.alertId} already exists with other terms`, 'alertId');
  }
  if (dec(cmd.price).lte(0)) throw new InvalidAlertError('price must be greater than 0', 'price');
  const active = Object.values(state.alerts).filter((a) => a.status === 'ACTIVE').length;
  if (active >= MAX_ACTIVE_ALERTS) {
    throw new InvalidAlertError(`at most ${MAX_ACTIVE_ALERTS} active alerts; cancel one first`, 'alertId');
  }
  const { alertId, userId, symbol, condition, note } = cmd;
  // The price is kept as the caller wrote it (canonical: no trailing zeros beyond what they typed).
  return [{ type: 'AlertSet', data: { alertId, userId, symbol, condition, price: cmd.price, note } }];
}

/** CancelAlert: only an ACTIVE alert; a triggered or cancelled one is closed for good. */
export function cancelAlert(cmd: CancelAlert, state: AlertsState): AlertEvent[] {
  const alert = state.alerts[cmd.alertId];
  if (!alert) throw new AlertNotFoundError(cmd.alertId);
  if (alert.status !== 'ACTIVE') throw new AlertClosedError(cmd.alertId, alert.status);
  return [{ type: 'AlertCancelled', data: { alertId: alert.alertId, userId: alert.userId } }];
}

/** Whether `price` is on the alert's side of its price: at or above for ABOVE, at or below for BELOW. */
export function crosses(alert: { condition: 'ABOVE' | 'BELOW'; price: string }, price: string): boolean {
  return alert.condition === 'ABOVE' ? dec(price).gte(alert.price) : dec(price).lte(alert.price);
}

/**
 * TriggerAlert: an ACTIVE alert whose condition the price meets triggers, once. Anything else
 * (already triggered, cancelled, unknown, a price that does not cross) appends nothing: the
 * evaluator acts on what it saw, and a second evaluator or a restart may see the same crossing.
 */
export function triggerAlert(cmd: TriggerAlert, state: AlertsState): AlertEvent[] {
  const alert = state.alerts[cmd.alertId];
  if (alert?.status !== 'ACTIVE' || alert.symbol !== cmd.symbol || !crosses(alert, cmd.price)) return [];
  return [{ type: 'AlertTriggered', data: { alertId: alert.alertId, userId: alert.userId, symbol: alert.symbol, price: cmd.price } }];
}
