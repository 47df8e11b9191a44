// Named alert errors; the gateway maps their codes to HTTP in its one table (errors.ts).
import { DomainError } from '../errors.ts';

/** No alert with this id in the caller's scope: never set, or another user's. */
export class AlertNotFoundError extends DomainError {
  override readonly name = 'AlertNotFoundError';
  constructor(alertId: string) {
    super('ALERT_NOT_FOUND', `No alert ${alertId}`);
  }
}

/** The alert already triggered or was cancelled: it can change no more. */
export class AlertClosedError extends DomainError {
  override readonly name = 'AlertClosedError';
  constructor(alertId: string, status: string) {
    super('ALERT_CLOSED', `Alert ${alertId} is already ${status}`);
  }
}

/** Well-typed alert terms that cannot be set (a zero price, a reused id, too many alerts). */
export class InvalidAlertError extends DomainError {
  override readonly name = 'InvalidAlertError';
  constructor(message: string, field: string) {
    super('VALIDATION_FAILED', message, [{ path: `/${field}`, message }]);
  }
}
