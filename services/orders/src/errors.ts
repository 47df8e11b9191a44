// Domain errors with stable codes. The gateway maps each code to an HTTP status in one place; the
// domain never knows about HTTP.

export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'ORDER_NOT_FOUND'
  | 'ORDER_CLOSED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_VENUE_REPORT'
  | 'RATE_LIMITED'
  | 'ACCOUNT_NOT_OPEN'
  | 'ACCOUNT_EXISTS'
  | 'OPEN_ORDERS'
  | 'ALERT_NOT_FOUND'
  | 'ALERT_CLOSED';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A well-typed order whose fields do not fit together (a LIMIT without price, ...). */
export class InvalidOrderError extends DomainError {
  override readonly name = 'InvalidOrderError';
  constructor(message: string, field: string) {
    super('VALIDATION_FAILED', message, [{ path: `/${field}`, message }]);
  }
}

export class OrderNotFoundError extends DomainError {
  override readonly name = 'OrderNotFoundError';
  constructor(orderId: string) {
    super('ORDER_NOT_FOUND', `No order ${orderId}`);
  }
}

export class OrderClosedError extends DomainError {
  override readonly name = 'OrderClosedError';
  constructor(orderId: string, status: string) {
    super('ORDER_CLOSED', `Order ${orderId} is already ${status}`);
  }
}

/** The same clientOrderId was sent again with different terms. */
export class IdempotencyKeyReusedError extends DomainError {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(clientOrderId: string) {
    super('IDEMPOTENCY_KEY_REUSED', `clientOrderId ${clientOrderId} was already used for a different order`);
  }
}

/** The venue reported something impossible for this order (an overfill, a fill of a denied order). */
export class InvalidVenueReportError extends DomainError {
  override readonly name: string = 'InvalidVenueReportError';
  constructor(message: string) {
    super('INVALID_VENUE_REPORT', message);
  }
}

/**
 * A report would close an order while the venue says it executed more than the order's recorded
 * fills: those fills must be fetched from the venue (its trade list) and recorded first.
 */
export class UnrecordedFillsError extends InvalidVenueReportError {
  override readonly name = 'UnrecordedFillsError';
  constructor(
    readonly orderId: string,
    readonly recorded: string,
    readonly executed: string,
  ) {
    super(`order ${orderId}: the venue executed ${executed}, fills recorded ${recorded}; its fills must be recorded before it closes`);
  }
}

/** Over the per-user order rate (decided from the account's own recent orders). */
export class RateLimitedError extends DomainError {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly limit: number,
    /** When the oldest order of the window leaves it, ms from the command's time. */
    readonly retryAfterMs: number,
  ) {
    super('RATE_LIMITED', `more than ${limit} orders per second; retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/**
 * A change of venue while orders are open: they rest at the venue they were sent to, and their
 * reservations are part of that venue's balances, not the next one's.
 */
export class OpenOrdersError extends DomainError {
  override readonly name = 'OpenOrdersError';
  constructor(from: string, to: string, count: number) {
    super('OPEN_ORDERS', `cancel your ${count} open order${count === 1 ? '' : 's'} on ${from} before trading on ${to}`, {
      openOrders: count,
    });
  }
}

/** A command for a user whose account was never opened (or whose events are gone). */
export class AccountNotOpenError extends DomainError {
  override readonly name = 'AccountNotOpenError';
  constructor() {
    super('ACCOUNT_NOT_OPEN', 'this account does not exist');
  }
}

export class AccountExistsError extends DomainError {
  override readonly name = 'AccountExistsError';
  constructor(userId: string) {
    super('ACCOUNT_EXISTS', `account ${userId} is already open`);
  }
}
