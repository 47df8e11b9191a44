// Who a valid token belongs to, checked against the users table (and cached for a few seconds):
// a correctly signed token for a user that no longer exists is refused, and roles come from the
// database, so a grant or revocation takes effect within the cache period, not at the next login.
import { type AccountTables, findUserById } from '@blotter/accounts';
import { Lru } from '@blotter/eventstore';
import type { Role } from '@blotter/schemas';
import type { Kysely } from 'kysely';

const TTL_MS = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class SessionUsers {
  private readonly cache = new Lru<string, { at: number; user: { id: string; email: string; roles: Role[] } | null }>(10_000);

  constructor(private readonly db: Kysely<AccountTables>) {}

  async find(userId: string): Promise<{ id: string; email: string; roles: Role[] } | null> {
    // A signed token can only carry an id we issued, but never send a non-uuid to a uuid column.
    if (!UUID.test(userId)) return null;
    const hit = this.cache.get(userId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.user;
    const row = await findUserById(this.db, userId);
    const user = row ? { id: row.id, email: row.email, roles: row.roles } : null;
    this.cache.set(userId, { at: Date.now(), user });
    return user;
  }
}
