// The adapter logs through whatever the executor uses. The shape is pino's `(fields, message)`, so
// a pino logger can be passed as is; the default discards everything.
export type VenueLogFn = (fields: Record<string, unknown>, message: string) => void;

export interface VenueLogger {
  debug: VenueLogFn;
  info: VenueLogFn;
  warn: VenueLogFn;
  error: VenueLogFn;
}

const discard: VenueLogFn = () => {};

export const silentLogger: VenueLogger = { debug: discard, info: discard, warn: discard, error: discard };
