// One venue client per user, created from the user's stored (encrypted) keys on first use and
// kept while it is used. Keys are decrypted here and go nowhere else: never into an event or a log.
import { type AccountTables, type KeyRing, loadVenueKeys, usersOnVenue, type VenueKeys } from '@blotter/accounts';
import type { Venue } from '@blotter/schemas';
import type { Kysely } from 'kysely';
import type { Logger } from '@blotter/eventstore';
import { createBinanceVenue } from './venue/index.ts';
import type { VenueClient } from './venue/types.ts';

export type VenueFactory = (keys: VenueKeys) => Promise<VenueClient>;

export class MissingVenueKeysError extends Error {
  override readonly name = 'MissingVenueKeysError';
  constructor(userId: string, venue: Venue) {
    super(`user ${userId} has no ${venue} keys stored`);
  }
}

export class VenueRegistry {
  private readonly clients = new Map<string, Promise<VenueClient>>();

  constructor(
    private readonly db: Kysely<AccountTables>,
    private readonly ring: KeyRing,
    private readonly factory: VenueFactory,
  ) {}

  /** The client for a user's order on `venue` (the venue the order was placed for). */
  async forUser(userId: string, venue: Venue): Promise<VenueClient> {
    const key = `${userId}|${venue}`;
    let client = this.clients.get(key);
    if (!client) {
      client = (async () => {
        const keys = await loadVenueKeys(this.db, this.ring, userId, venue);
        if (!keys) throw new MissingVenueKeysError(userId, venue);
        return this.factory(keys);
      })();
      this.clients.set(key, client);
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }

  /** The users who trade on `venue` now. */
  usersOn(venue: Venue): Promise<string[]> {
    return usersOnVenue(this.db, venue);
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(all.map(async (c) => (await c).close()));
  }
}

/** Venue clients on Binance Spot testnet, or on the simulator for paper accounts. */
export function binanceVenues(options: { simUrl: string; testnetUrl?: string; recvWindowMs: number; log?: Logger }): VenueFactory {
  return (keys) =>
    createBinanceVenue({
      apiKey: keys.apiKey,
      apiSecret: keys.apiSecret,
      kind: keys.venue,
      ...(keys.venue === 'paper' ? { baseUrl: options.simUrl } : options.testnetUrl ? { testnetUrl: options.testnetUrl } : {}),
      recvWindowMs: options.recvWindowMs,
      ...(options.log ? { log: options.log } : {}),
    });
}
