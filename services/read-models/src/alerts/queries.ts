// Reads of the alerts read model.
import type { Alert } from '@blotter/schemas';
import type { Kysely } from 'kysely';
import type { ReadModelTables } from '../db.ts';
import { toAlertView } from './projection.ts';

export type AlertFilter = 'active' | 'triggered' | 'all';

/** A user's alerts, newest first; `active` and `triggered` narrow by status (`all`: cancelled too). */
export async function listAlerts(
  db: Kysely<ReadModelTables>,
  schema: string,
  userId: string,
  status: AlertFilter = 'all',
): Promise<Alert[]> {
  let q = db.withSchema(schema).selectFrom('alerts').selectAll().where('userId', '=', userId);
  if (status === 'active') q = q.where('status', '=', 'ACTIVE');
  if (status === 'triggered') q = q.where('status', '=', 'TRIGGERED');
  const rows = await q.orderBy('createdAt', 'desc').orderBy('alertId', 'desc').limit(500).execute();
  return rows.map(toAlertView);
}
