// What PlaceOrder reads before deciding, in one statement: the user's venue, free balances, the
// balances read model's version and the count of open orders. One statement matters twice:
// - it is one Postgres round trip instead of four (the gateway's main cost per order, per the
//   benchmark's profile);
// - it is one snapshot. Read separately, the balances could come from before the projector applied
//   a commit and the version from after it; the pending reservation of that commit would then be
//   dropped although the balances did not include it yet, and the order would overspend.
import { OPEN_STATUSES, type Venue } from '@blotter/schemas';
import { type Kysely, sql } from 'kysely';

export interface PreTradeFacts {
  venue: Venue;
  /** asset → free, as decimal strings. */
  free: Record<string, string>;
  /** The balances read model's version for this user (0 before its first balance). */
  balancesVersion: number;
  openOrders: number;
}

// Single-word column aliases: the pool's CamelCasePlugin renames result keys.
interface Row {
  venue: Venue;
  // [asset, free] pairs; free is cast to text so json never turns it into a float.
  balances: [string, string][];
  version: number | null;
  working: string;
}

/** The facts, or null when the user does not exist (any more). */
export async function preTradeFacts(db: Kysely<unknown>, readSchema: string, userId: string): Promise<PreTradeFacts | null> {
  const t = (table: string) => sql.table(`${readSchema}.${table}`);
  const { rows } = await sql<Row>`
    select u.venue,
      (select coalesce(json_agg(json_build_array(b.asset, b.free::text)), '[]'::json)
         from ${t('balances')} b where b.user_id = u.id) as balances,
      (select v.version from ${t('channel_versions')} v where v.user_id = u.id and v.channel = 'balances') as version,
      (select count(*) from ${t('orders')} o where o.user_id = u.id and o.status in (${sql.join(OPEN_STATUSES.map((s) => sql.lit(s)))})) as working
    from users u where u.id = ${userId}`.execute(db);
  const row = rows[0];
  if (!row) return null;
  return {
    venue: row.venue,
    free: Object.fromEntries(row.balances),
    balancesVersion: Number(row.version ?? 0),
    openOrders: Number(row.working),
  };
}
