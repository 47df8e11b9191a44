import type { Role, Venue } from '@blotter/schemas';

export interface UsersTable {
  id: string;
  /** Stored lower-cased; unique. */
  email: string;
  passwordHash: string;
  roles: Role[];
  /** The venue the user trades on now. */
  venue: Venue;
  createdAt: string;
}

/** One row per user and venue: the API key and secret, encrypted together. */
export interface VenueCredentialsTable {
  userId: string;
  venue: Venue;
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  fingerprint: string;
  updatedAt: string;
}

export interface AccountTables {
  users: UsersTable;
  venueCredentials: VenueCredentialsTable;
}
