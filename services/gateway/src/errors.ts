// The one edge where errors become HTTP: every named error carries a stable code, and this table
// alone decides its status. Handlers throw; they never pick a status for a failure themselves.
import { EmailTakenError } from '@blotter/accounts';
import { ConcurrencyError, OutcomeUnknownError } from '@blotter/eventstore';
import { DomainError, RateLimitedError } from '@blotter/orders';
import { isTransientDbError } from '@blotter/read-models';
import type { ErrorCode } from '@blotter/schemas';
import { ErrorCode as NatsErrorCode, NatsError } from 'nats';

/** nats.js error codes that mean NATS or the stream could not answer (not that it refused). */
const NATS_UNAVAILABLE = new Set<string>([
  NatsErrorCode.Timeout,
  NatsErrorCode.NoResponders,
  NatsErrorCode.Disconnect,
  NatsErrorCode.ConnectionClosed,
  NatsErrorCode.ConnectionRefused,
  NatsErrorCode.ConnectionDraining,
]);

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 2;

export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  ORDER_CLOSED: 409,
  ALERT_NOT_FOUND: 404,
  ALERT_CLOSED: 409,
  EMAIL_TAKEN: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  CONCURRENCY_CONFLICT: 409,
  ACCOUNT_EXISTS: 409,
  OPEN_ORDERS: 409,
  VENUE_KEYS_REJECTED: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNKNOWN_SYMBOL: 422,
  FILTER_FAILURE: 422,
  INSUFFICIENT_BALANCE: 422,
  MAX_NOTIONAL_EXCEEDED: 422,
  MAX_OPEN_ORDERS: 422,
  TRADING_HALTED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  OUTCOME_UNKNOWN: 503,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Maps anything thrown by a handler to (status, body); unknown errors become a bare 500. */
export function toHttp(err: unknown): { status: number; body: ErrorBody; expected: boolean; retryAfterSeconds?: number } {
  const wrap = (code: ErrorCode, message: string, details?: unknown) => ({
    status: STATUS[code],
    body: { error: details === undefined ? { code, message } : { code, message, details } },
    expected: STATUS[code] < 500,
  });
  if (err instanceof HttpError) return wrap(err.code, err.message, err.details);
  if (err instanceof RateLimitedError)
    return { ...wrap('RATE_LIMITED', err.message), retryAfterSeconds: Math.ceil(err.retryAfterMs / 1000) };
  if (err instanceof DomainError) {
    if (err.code === 'INVALID_VENUE_REPORT') return wrap('INTERNAL', 'internal error');
    // The token is valid but its account has no events: it no longer exists as far as trading goes.
    if (err.code === 'ACCOUNT_NOT_OPEN') return wrap('UNAUTHENTICATED', 'this account no longer exists');
    return wrap(err.code, err.message, err.details);
  }
  if (err instanceof OutcomeUnknownError) {
    return wrap('OUTCOME_UNKNOWN', 'the outcome of the request is unknown (the event store did not answer); repeat it to find out');
  }
  if (err instanceof EmailTakenError) return wrap('EMAIL_TAKEN', err.message);
  if (err instanceof ConcurrencyError) return wrap('CONCURRENCY_CONFLICT', 'the order changed concurrently; retry the request');
  // A dependency that is down is the server's problem, but not a bug: 503, and try again soon.
  if (isTransientDbError(err)) return wrap('SERVICE_UNAVAILABLE', 'the database is unavailable; retry shortly');
  if (err instanceof NatsError && NATS_UNAVAILABLE.has(err.code))
    return wrap('SERVICE_UNAVAILABLE', 'the event store is unavailable; retry shortly');
  const e = err as { code?: string; statusCode?: number; validation?: { instancePath: string; message?: string }[]; message?: string };
  if (e?.validation) {
    const details = e.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' }));
    return wrap('VALIDATION_FAILED', `invalid request: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return wrap('PAYLOAD_TOO_LARGE', 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return wrap('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return wrap('VALIDATION_FAILED', 'the request body is empty or malformed');
  }
  if (e?.statusCode === 400 && e.message) return wrap('VALIDATION_FAILED', e.message);
  if (e?.statusCode === 429) return wrap('RATE_LIMITED', e.message ?? 'too many requests');
  if (e?.statusCode === 413) return wrap('PAYLOAD_TOO_LARGE', 'request body is too large');
  if (e?.statusCode === 415) return wrap('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  return wrap('INTERNAL', 'internal error');
}
