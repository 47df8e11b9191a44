export { createKeyRing, type EncryptedSecret, fingerprint, KeyDecryptionError, type KeyRing, keyIdOf, parseKey } from './key-crypto.ts';
export { migrateAccounts } from './migrations.ts';
export { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './passwords.ts';
export type { AccountTables, UsersTable, VenueCredentialsTable } from './tables.ts';
export {
  createUser,
  EmailTakenError,
  findUserByEmail,
  findUserById,
  grantRole,
  listUsers,
  lockUserVenue,
  normalizeEmail,
  setUserVenue,
  usersOnVenue,
} from './users.ts';
export { deleteVenueKeys, keyFingerprint, loadVenueKeys, rotateVenueKeys, storeVenueKeys, type VenueKeys } from './venue-keys.ts';
