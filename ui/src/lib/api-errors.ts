// Turns whatever came back from the gateway (through the proxy) into something to show: a message,
// and the ticket field it belongs next to when the server named one.
import { ErrorResponse } from '@blotter/schemas';
import { Value } from 'typebox/value';

export const FIELDS = ['quantity', 'price', 'stopPrice', 'notional', 'symbol'] as const;
export type ErrorField = (typeof FIELDS)[number];

export interface ApiError {
  status: number | null;
  code: string;
  message: string;
  field: ErrorField | null;
  details?: unknown;
}

const isField = (v: unknown): v is ErrorField => typeof v === 'string' && (FIELDS as readonly string[]).includes(v);

/**
 * The field the error is about: `details.field` (pre-trade denials), or the first
 * `details[].path` like "/quantity" (request validation, in the shape the domain produces).
 */
export function fieldOf(details: unknown): ErrorField | null {
  if (details && typeof details === 'object' && !Array.isArray(details) && 'field' in details) {
    if (isField(details.field)) return details.field;
  }
  if (Array.isArray(details)) {
    for (const item of details) {
      if (item && typeof item === 'object' && 'path' in item) {
        const path = item.path;
        const name = typeof path === 'string' ? path.replace(/^\//, '').split('/')[0] : undefined;
        if (isField(name)) return name;
      }
    }
  }
  return null;
}

const FALLBACK: Record<number, string> = {
  400: 'The request was not accepted',
  401: 'Your session has expired. Log in again.',
  403: 'You are not allowed to do that',
  404: 'Not found',
  409: 'Conflict with the current state',
  422: 'The order was denied',
  429: 'Too many requests: slow down and try again',
  502: 'The trading gateway is unreachable',
  503: 'The trading gateway is unavailable',
};

/** Maps a status and parsed body to an ApiError; the gateway's envelope passes through as is. */
export function toApiError(status: number, body: unknown): ApiError {
  if (Value.Check(ErrorResponse, body)) {
    const { code, message, details } = body.error;
    return { status, code, message, field: fieldOf(details), details };
  }
  return {
    status,
    code: status >= 500 ? 'SERVICE_UNAVAILABLE' : 'UNKNOWN',
    message: FALLBACK[status] ?? `Request failed (${status})`,
    field: null,
  };
}

/** No HTTP answer at all: the browser is offline or the UI server is down. */
export function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return { status: null, code: 'NETWORK', message: `Network error: ${detail}`, field: null };
}

/** The body the proxy and server code send when the gateway does not answer. */
export function unreachableBody(): ErrorResponse {
  return { error: { code: 'SERVICE_UNAVAILABLE', message: 'The trading gateway is unreachable. Try again in a moment.' } };
}
