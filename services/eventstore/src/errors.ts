// Named errors of the event store, with the JetStream API error codes they come from.

/** JetStream API error codes the store reacts to (nats-server's errors.json). */
export const JsErrorCode = {
  /** Nats-Expected-Last-Subject-Sequence did not match: someone else appended first. */
  WrongLastSequence: 10071,
  StreamNotFound: 10059,
} as const;

/** The JetStream API error code carried by a nats.js error, if any. */
export function jsErrorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('api_error' in err)) return undefined;
  const api = (err as { api_error?: { err_code?: unknown } }).api_error;
  return typeof api?.err_code === 'number' ? api.err_code : undefined;
}

export const isWrongLastSequence = (err: unknown) => jsErrorCode(err) === JsErrorCode.WrongLastSequence;

/** Optimistic concurrency lost repeatedly: the aggregate is being written too fast to agree on. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly subject: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`gave up appending to ${subject} after ${attempts} concurrent modifications`, options);
  }
}

/** A stored message that is not a valid commit (bad JSON, bad envelope, unknown or invalid event). */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
  constructor(
    readonly seq: number,
    readonly subject: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`message ${seq} on ${subject}: ${message}`, options);
  }
}

/** The NATS server is too old to guard a user's scope with one optimistic-concurrency check. */
export class UnsupportedServerError extends Error {
  override readonly name = 'UnsupportedServerError';
  constructor(
    readonly version: string,
    readonly minimum: string,
  ) {
    super(`nats-server ${version} is too old: Blotter needs >= ${minimum} (run \`make up\`, which fetches one)`);
  }
}

/**
 * An append was sent but no answer came back in time: the commit may or may not be stored. The
 * command is safe to repeat with the same id (the same clientOrderId lands on the same order).
 */
export class OutcomeUnknownError extends Error {
  override readonly name = 'OutcomeUnknownError';
  constructor(
    readonly commitId: string,
    options?: { cause?: unknown },
  ) {
    super(`the outcome of commit ${commitId} is unknown (no answer from the event store)`, options);
  }
}
