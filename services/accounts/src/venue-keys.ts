// Venue API keys: stored encrypted, read back only by the executor (to sign venue requests); the
// gateway, events and logs only ever see the fingerprint.
import type { Venue } from '@blotter/schemas';
import type { Kysely } from 'kysely';
import { fingerprint, type KeyRing } from './key-crypto.ts';
import type { AccountTables } from './tables.ts';

type Db = Kysely<AccountTables>;

export interface VenueKeys {
  venue: Venue;
  apiKey: string;
  apiSecret: string;
  fingerprint: string;
}

export async function storeVenueKeys(db: Db, ring: KeyRing, userId: string, keys: Omit<VenueKeys, 'fingerprint'>): Promise<string> {
  const fp = fingerprint(keys.apiKey);
  const sealed = ring.encrypt(JSON.stringify({ apiKey: keys.apiKey, apiSecret: keys.apiSecret }), userId);
  await db
    .insertInto('venueCredentials')
    .values({ userId, venue: keys.venue, ...sealed, fingerprint: fp, updatedAt: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['userId', 'venue']).doUpdateSet({ ...sealed, fingerprint: fp, updatedAt: new Date().toISOString() }))
    .execute();
  return fp;
}

export async function loadVenueKeys(db: Db, ring: KeyRing, userId: string, venue: Venue): Promise<VenueKeys | null> {
  const row = await db
    .selectFrom('venueCredentials')
    .selectAll()
    .where('userId', '=', userId)
    .where('venue', '=', venue)
    .executeTakeFirst();
  if (!row) return null;
  const parsed: unknown = JSON.parse(ring.decrypt(row, userId));
  const { apiKey, apiSecret } = parsed as Record<string, unknown>;
  if (typeof apiKey !== 'string' || typeof apiSecret !== 'string') throw new Error(`venue key record of ${userId} is malformed`);
  return { venue, apiKey, apiSecret, fingerprint: row.fingerprint };
}

export async function keyFingerprint(db: Db, userId: string, venue: Venue): Promise<string | null> {
  const row = await db
    .selectFrom('venueCredentials')
    .select('fingerprint')
    .where('userId', '=', userId)
    .where('venue', '=', venue)
    .executeTakeFirst();
  return row?.fingerprint ?? null;
}

export async function deleteVenueKeys(db: Db, userId: string, venue: Venue): Promise<void> {
  await db.deleteFrom('venueCredentials').where('userId', '=', userId).where('venue', '=', venue).execute();
}

/** Re-encrypts every record not yet under the current key; returns how many changed. */
export async function rotateVenueKeys(db: Db, ring: KeyRing): Promise<number> {
  const stale = await db.selectFrom('venueCredentials').selectAll().where('keyId', '!=', ring.currentKeyId).execute();
  for (const row of stale) {
    const sealed = ring.encrypt(ring.decrypt(row, row.userId), row.userId);
    await db
      .updateTable('venueCredentials')
      .set({ ...sealed, updatedAt: new Date().toISOString() })
      .where('userId', '=', row.userId)
      .where('venue', '=', row.venue)
      .where('keyId', '=', row.keyId)
      .execute();
  }
  return stale.length;
}
