// Users: who may log in, with which roles, trading on which venue.
import type { Role, Venue } from '@blotter/schemas';
import type { Kysely, Transaction } from 'kysely';
import type { AccountTables, UsersTable } from './tables.ts';

type Db = Kysely<AccountTables>;

export class EmailTakenError extends Error {
  override readonly name = 'EmailTakenError';
  readonly code = 'EMAIL_TAKEN';
  constructor(email: string) {
    super(`An account already exists for ${email}`);
  }
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function createUser(db: Db, user: Omit<UsersTable, 'createdAt'>): Promise<UsersTable> {
  try {
    return await db
      .insertInto('users')
      .values({ ...user, email: normalizeEmail(user.email), createdAt: new Date().toISOString() })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new EmailTakenError(user.email);
    throw err;
  }
}

export const findUserByEmail = (db: Db, email: string) =>
  db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();

export const findUserById = (db: Db, id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

/** Sets exactly one role (trader or auditor); returns false when the user does not exist. */
export async function grantRole(db: Db, userId: string, role: Role): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ roles: [role] })
    .where('id', '=', userId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function setUserVenue(db: Db, userId: string, venue: Venue): Promise<void> {
  await db.updateTable('users').set({ venue }).where('id', '=', userId).execute();
}

/** Every user, newest first (for auditors picking whose data to look at). */
export const listUsers = (db: Db, limit = 1000) =>
  db.selectFrom('users').select(['id', 'email', 'roles', 'venue']).orderBy('createdAt', 'desc').limit(limit).execute();

/** The users who trade on `venue` now (the executor follows their resting orders there). */
export async function usersOnVenue(db: Db, venue: Venue): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('venue', '=', venue).execute();
  return rows.map((r) => r.id);
}

/**
 * The user's current venue, with the user's row locked until `trx` ends: changes of one user's
 * venue keys (two tabs, two gateways) then run one at a time. Undefined when the user is gone.
 */
export async function lockUserVenue(trx: Transaction<AccountTables>, userId: string): Promise<Venue | undefined> {
  const row = await trx.selectFrom('users').select('venue').where('id', '=', userId).forUpdate().executeTakeFirst();
  return row?.venue;
}
