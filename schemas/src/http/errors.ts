import Type, { type Static } from 'typebox';
import { DENIAL_CODES } from '../orders/events.ts';

/** Every error response, whatever the route: `{error: {code, message, details?}}`. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ pattern: '^[A-Z_]+$' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  {
    examples: [{ error: { code: 'ORDER_NOT_FOUND', message: 'No order 0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a' } }],
  },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const ErrorCode = Type.Enum([
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ORDER_NOT_FOUND',
  'ORDER_CLOSED',
  'ALERT_NOT_FOUND',
  'ALERT_CLOSED',
  'EMAIL_TAKEN',
  'INVALID_CREDENTIALS',
  'IDEMPOTENCY_KEY_REUSED',
  'CONCURRENCY_CONFLICT',
  'ACCOUNT_EXISTS',
  'OPEN_ORDERS',
  'VENUE_KEYS_REJECTED',
  ...DENIAL_CODES,
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'SERVICE_UNAVAILABLE',
  'OUTCOME_UNKNOWN',
  'INTERNAL',
]);
export type ErrorCode = Static<typeof ErrorCode>;
