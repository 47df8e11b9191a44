// What a failed venue call means for the caller. node-binance-api rejects with `Error(responseText)`
// and keeps the HTTP status and headers to itself, so the classification works from what is left:
// Binance's JSON body `{code, msg}`, the library's own timeout message, and the network error fetch
// raises. Anything that cannot be recognised is an unknown outcome: for an order that is the only
// safe reading (the caller looks the order up by its client id instead of guessing).
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { VenueRateLimitedError, VenueRejectedError, VenueUnavailableError, VenueUnknownOutcomeError } from './types.ts';

export type CodeClass = 'rejected' | 'rate-limited' | 'unknown-outcome' | 'clock';

/**
 * The codes Blotter branches on (https://developers.binance.com/docs/binance-spot-api-docs/errors).
 * 11xx codes not listed here are parameter errors and therefore refusals; any other unlisted code
 * is treated as an unknown outcome.
 */
export const BINANCE_CODES: ReadonlyMap<number, { name: string; class: CodeClass }> = new Map([
  [-1000, { name: 'UNKNOWN', class: 'unknown-outcome' }],
  [-1001, { name: 'DISCONNECTED', class: 'unknown-outcome' }],
  [-1002, { name: 'UNAUTHORIZED', class: 'rejected' }],
  [-1003, { name: 'TOO_MANY_REQUESTS', class: 'rate-limited' }],
  [-1006, { name: 'UNEXPECTED_RESP', class: 'unknown-outcome' }],
  [-1007, { name: 'TIMEOUT', class: 'unknown-outcome' }],
  // "Try again in a few minutes": Binance does not promise nothing was executed.
  [-1008, { name: 'SERVER_BUSY', class: 'unknown-outcome' }],
  [-1013, { name: 'INVALID_MESSAGE', class: 'rejected' }],
  [-1014, { name: 'UNKNOWN_ORDER_COMPOSITION', class: 'rejected' }],
  [-1015, { name: 'TOO_MANY_ORDERS', class: 'rate-limited' }],
  [-1016, { name: 'SERVICE_SHUTTING_DOWN', class: 'rejected' }],
  [-1020, { name: 'UNSUPPORTED_OPERATION', class: 'rejected' }],
  [-1021, { name: 'INVALID_TIMESTAMP', class: 'clock' }],
  [-1022, { name: 'INVALID_SIGNATURE', class: 'rejected' }],
  [-2010, { name: 'NEW_ORDER_REJECTED', class: 'rejected' }],
  [-2011, { name: 'CANCEL_REJECTED', class: 'rejected' }],
  [-2013, { name: 'NO_SUCH_ORDER', class: 'rejected' }],
  [-2014, { name: 'BAD_API_KEY_FMT', class: 'rejected' }],
  [-2015, { name: 'REJECTED_MBX_KEY', class: 'rejected' }],
  [-2016, { name: 'NO_TRADING_WINDOW', class: 'rejected' }],
  [-2026, { name: 'ORDER_ARCHIVED', class: 'rejected' }],
]);

export function classOfCode(code: number): CodeClass {
  const known = BINANCE_CODES.get(code);
  if (known) return known.class;
  if (code <= -1100 && code >= -1199) return 'rejected';
  return 'unknown-outcome';
}

/** Network failures that happen before a request is written: nothing reached the venue. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** node-binance-api aborts a request after its timeout with exactly this prefix. */
const LIBRARY_TIMEOUT = 'Request timeout:';

export type Failure =
  | { kind: 'rejected'; code: number; msg: string }
  | { kind: 'clock'; code: number; msg: string }
  | { kind: 'rate-limited'; code: number; msg: string; bannedUntil: number | null }
  | { kind: 'unknown-outcome'; reason: string }
  | { kind: 'unavailable'; reason: string };

const ErrorBody = Compile(Type.Object({ code: Type.Integer(), msg: Type.String() }));

/** Binance's error payload, if `text` is one. */
export function parseErrorBody(text: string): { code: number; msg: string } | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  return ErrorBody.Check(json) ? { code: json.code, msg: json.msg } : null;
}

/** A 418 says until when: "Way too much request weight used; IP banned until 1659146400000. ...". */
export function bannedUntil(msg: string): number | null {
  const match = /IP banned until (\d{10,16})/.exec(msg);
  return match?.[1] ? Number(match[1]) : null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** fetch wraps the socket error in `cause` (sometimes an AggregateError of one per address). */
function networkCodes(err: Error): string[] {
  const cause = 'cause' in err ? err.cause : undefined;
  if (!isRecord(cause)) return [];
  const codes: string[] = [];
  if (typeof cause.code === 'string') codes.push(cause.code);
  if (Array.isArray(cause.errors)) {
    for (const inner of cause.errors) if (isRecord(inner) && typeof inner.code === 'string') codes.push(inner.code);
  }
  return codes;
}

const shorten = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/** What a rejection from the library means. */
export function classifyFailure(err: unknown): Failure {
  if (!(err instanceof Error)) return { kind: 'unknown-outcome', reason: `non-error rejection: ${shorten(String(err))}` };
  if (err.message.startsWith(LIBRARY_TIMEOUT)) return { kind: 'unknown-outcome', reason: 'no answer before the timeout' };
  const body = parseErrorBody(err.message);
  if (body) {
    const cls = classOfCode(body.code);
    if (cls === 'rate-limited') return { kind: 'rate-limited', code: body.code, msg: body.msg, bannedUntil: bannedUntil(body.msg) };
    if (cls === 'unknown-outcome') return { kind: 'unknown-outcome', reason: `${body.code} ${body.msg}` };
    return { kind: cls, code: body.code, msg: body.msg };
  }
  const codes = networkCodes(err);
  if (codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c))) {
    return { kind: 'unavailable', reason: `${err.message} (${[...new Set(codes)].join(', ')})` };
  }
  if (codes.length > 0) return { kind: 'unknown-outcome', reason: `${err.message} (${codes.join(', ')})` };
  // A non-JSON error body (a gateway's HTML 502 page...) or an unreadable 200: the status is hidden
  // by the library, so nothing proves the request was not executed.
  return { kind: 'unknown-outcome', reason: shorten(err.message) };
}

/** The public error for a failure (rate limits get their wait from the gate, see rate-limit.ts). */
export function toVenueError(failure: Failure, what: string, retryAfterMs: number, cause: unknown): Error {
  switch (failure.kind) {
    case 'rejected':
    case 'clock':
      return new VenueRejectedError(failure.code, failure.msg);
    case 'rate-limited':
      return new VenueRateLimitedError(`${what}: ${failure.code} ${failure.msg}`, retryAfterMs);
    case 'unavailable':
      return new VenueUnavailableError(`${what}: venue unreachable: ${failure.reason}`, { cause });
    case 'unknown-outcome':
      return new VenueUnknownOutcomeError(`${what}: outcome unknown: ${failure.reason}`, { cause });
  }
}

/** Refusal of an order request that never left the process (a caller bug, not a venue answer). */
export class InvalidOrderRequestError extends Error {
  override readonly name = 'InvalidOrderRequestError';
}

/** Options that cannot work (e.g. a timeout shorter than recvWindow, a paper venue without a URL). */
export class VenueConfigError extends Error {
  override readonly name = 'VenueConfigError';
}
