// What the public contract (shared/API.md) promises about failures, as checks the suites share.
import { ErrorCode } from '@blotter/schemas';

/** Every error code the contract names (schemas' ErrorCode). */
export const ERROR_CODES: readonly string[] = (ErrorCode as unknown as { enum: string[] }).enum;

/** The statuses an error may carry: the contract's 400/401/403/404/409/422/429, plus 413/415 for
 * bodies (PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, both codes of the contract's list). */
export const ERROR_STATUSES: readonly number[] = [400, 401, 403, 404, 409, 413, 415, 422, 429];

/** Which status each code travels with. */
export const STATUS_OF: Record<string, number> = {
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

/**
 * Why an error response breaks the contract, or null when it keeps it: a JSON body of exactly
 * `{error: {code, message, details?}}` with a known code that belongs to the status.
 */
export function envelopeProblem(status: number, body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `body is not JSON: ${JSON.stringify(body.slice(0, 120))}`;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'body is not an object';
  const keys = Object.keys(parsed);
  if (keys.length !== 1 || keys[0] !== 'error') return `top-level keys ${JSON.stringify(keys)}: ${body.slice(0, 160)}`;
  const error = (parsed as { error: unknown }).error;
  if (!error || typeof error !== 'object' || Array.isArray(error)) return 'error is not an object';
  const e = error as Record<string, unknown>;
  const extra = Object.keys(e).filter((k) => k !== 'code' && k !== 'message' && k !== 'details');
  if (extra.length) return `error has extra keys ${JSON.stringify(extra)}`;
  if (typeof e.code !== 'string' || !ERROR_CODES.includes(e.code)) return `unknown code ${JSON.stringify(e.code)}`;
  if (typeof e.message !== 'string' || e.message.length === 0) return 'message is not a non-empty string';
  if (STATUS_OF[e.code] !== status) return `code ${e.code} with status ${status}`;
  if (!ERROR_STATUSES.includes(status)) return `status ${status} is not one of the contract's`;
  return null;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
