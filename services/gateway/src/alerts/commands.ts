// SetAlert and CancelAlert: the user's alert aggregate decides (app.alertRepo, a ScopeRepository
// over the same scope as the account aggregate), so an alert append is checked against every event
// of the user, the evaluator's triggers included: a cancel and a trigger of one alert cannot both
// be recorded.
import { uuidv7 } from '@blotter/eventstore';
import { cancelAlert, dec, setAlert, str } from '@blotter/orders';
import type { Alert, SetAlertRequest } from '@blotter/schemas';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.ts';

export async function handleSetAlert(app: FastifyInstance, userId: string, body: SetAlertRequest, correlationId: string): Promise<Alert> {
  // The market's own list decides what a symbol is; an alert on a symbol no one quotes would never fire.
  if (!(await app.market.symbol(body.symbol))) {
    throw new HttpError('UNKNOWN_SYMBOL', `${body.symbol} is not a symbol of this venue`, [{ path: '/symbol', message: 'unknown symbol' }]);
  }
  const alertId = uuidv7();
  const at = new Date().toISOString();
  const commandId = `alert-${alertId}`;
  // Canonical decimals on the record ("70000.50" and "70000.5" are one price).
  const command = {
    commandId,
    userId,
    alertId,
    at,
    symbol: body.symbol,
    condition: body.condition,
    price: str(dec(body.price)),
    note: body.note ?? '',
  };
  const target = {
    subject: app.store.subjects.alert(userId, alertId),
    aggregateId: alertId,
    commitId: commandId,
    occurredAt: at,
    correlationId,
    newSubject: true,
  };
  const result = await app.alertRepo.decide(userId, target, (alerts) => setAlert(command, alerts));
  const alert = result.state.alerts[alertId];
  if (!alert) throw new HttpError('INTERNAL', `alert ${alertId} is missing after it was set`);
  return alert;
}

export async function handleCancelAlert(app: FastifyInstance, userId: string, alertId: string, correlationId: string): Promise<void> {
  const at = new Date().toISOString();
  const commandId = `cancel-alert-${uuidv7()}`;
  const target = {
    subject: app.store.subjects.alert(userId, alertId),
    aggregateId: alertId,
    commitId: commandId,
    occurredAt: at,
    correlationId,
  };
  await app.alertRepo.decide(userId, target, (alerts) => cancelAlert({ commandId, userId, alertId, at }, alerts));
}
