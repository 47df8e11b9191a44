// A public-data client for the venue, through node-binance-api like the executor's trading client:
// the simulator in paper mode (same API at another base URL), Binance Spot testnet otherwise.
import Binance from 'node-binance-api';

export type MarketVenue = { kind: 'paper'; simUrl: string } | { kind: 'binance-testnet' };

export function publicClient(venue: MarketVenue): Binance {
  const quiet = { log: () => {}, recvWindow: 10_000 };
  return venue.kind === 'paper'
    ? new Binance({ ...quiet, test: false, urls: { base: `${venue.simUrl.replace(/\/$/, '')}/api/` } })
    : new Binance({ ...quiet, test: true });
}
