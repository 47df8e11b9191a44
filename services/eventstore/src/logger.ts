// The one logger shape of every service: pino's `(fields, message)`, so a pino logger or fastify's
// `app.log` is passed as it is. Declared here, the lowest package that logs, so that everything
// above imports it without an upward import. A subpath of its own (`@blotter/eventstore/logger`)
// as well, so that code with no use for the event store (the venue adapter) imports only this.

export interface Logger {
  /** Chatter for a person chasing a problem (a library's own lines); not every logger has it. */
  debug?(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const discard = () => {};

/** Drops every line: where no logger is given, and in tests. */
export const silentLogger: Logger = { debug: discard, info: discard, warn: discard, error: discard };
