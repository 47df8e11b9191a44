// The venue adapter: VenueClient on Binance Spot / the simulator through node-binance-api.
export type { BinanceVenueOptions } from './binance-client.ts';
export { AlreadySubscribedError, createBinanceVenue, VenueClosedError } from './binance-venue.ts';
export { BINANCE_CODES, InvalidOrderRequestError, VenueConfigError } from './errors.ts';
export * from './types.ts';
