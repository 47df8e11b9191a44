// The balances read model: free and locked per user and asset, moved by the ledger rules.
import type { RecordedEvent } from '@blotter/eventstore';
import { type BalanceEffect, balanceEffects, dec, str } from '@blotter/orders';
import type { ReadModel } from '../read-model.ts';
import { upsertRows } from '../upsert.ts';
import type { BalancesTable } from './table.ts';

const key = (userId: string, asset: string) => `${userId}:${asset}`;

// An event's effects are asked for once for its keys and once per key it touches (a fill: 3 times);
// they are a pure function of the event, so each event's are computed once.
const effectsCache = new WeakMap<RecordedEvent, BalanceEffect[]>();
function effectsOf(e: RecordedEvent): BalanceEffect[] {
  let effects = effectsCache.get(e);
  if (!effects) {
    effects = balanceEffects(e);
    effectsCache.set(e, effects);
  }
  return effects;
}

export const balancesModel: ReadModel<BalancesTable> = {
  name: 'balances',
  keysOf: (e) => [...new Set(effectsOf(e).map((x) => key(e.userId, x.asset)))],
  apply(row, e, k) {
    const asset = k.slice(k.indexOf(':') + 1);
    let free = dec(row?.free ?? '0');
    let locked = dec(row?.locked ?? '0');
    for (const x of effectsOf(e)) {
      if (x.asset !== asset) continue;
      free = free.plus(x.free);
      locked = locked.plus(x.locked);
    }
    return { userId: e.userId, asset, free: str(free), locked: str(locked), version: e.seq };
  },
  async load(trx, schema, keys) {
    const users = [...new Set(keys.map((k) => k.slice(0, k.indexOf(':'))))];
    const rows = await trx.withSchema(schema).selectFrom('balances').selectAll().where('userId', 'in', users).execute();
    return new Map(rows.map((r) => [key(r.userId, r.asset), r]));
  },
  save: (trx, schema, rows) => upsertRows(trx, schema, 'balances', rows, ['userId', 'asset']),
  keyOf: (r) => key(r.userId, r.asset),
  userOf: (r) => r.userId,
  versionOf: (r) => r.version,
  view: ({ asset, free, locked }) => ({ asset, free, locked }),
};
