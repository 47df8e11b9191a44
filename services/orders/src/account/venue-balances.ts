// Balances the venue changed without an order of Blotter: deposits, withdrawals, and what a sync
// with the venue's account finds. The venue is the truth, so its figure is recorded; but Blotter's
// free balance never goes below 0: when the venue holds less of an asset than Blotter has locked
// for open orders, free becomes 0, the excess is recorded as `shortfall`, and the caller has the
// open orders reconciled (the venue canceled or never had what Blotter still reserves for).
import type { AccountEvent, RecordBalanceUpdate, RemoveVenueKeys, StoreVenueKeys, SyncVenueBalances, VenueHolding } from '@blotter/schemas';
import { type Dec, dec, maxOf, str } from '../money.ts';
import { removeVenueKeys, storeVenueKeys } from './decide.ts';
import { type AccountState, evolveAccount } from './state.ts';

type Reason = Extract<AccountEvent, { type: 'VenueBalanceChanged' }>['data']['reason'];

/** The event that takes the asset from Blotter's balance to `venueTotal` (or by `delta`), or null when nothing changes. */
function change(
  account: AccountState & { userId: string },
  asset: string,
  delta: Dec,
  venueTotal: Dec | null,
  reason: Reason,
  venueEventId: string | null,
): AccountEvent | null {
  if (delta.eq(0)) return null;
  const held = account.balances[asset] ?? { free: '0', locked: '0' };
  const free = dec(held.free);
  const wanted = free.plus(delta);
  const newFree = maxOf(wanted, dec(0));
  return {
    type: 'VenueBalanceChanged',
    data: {
      userId: account.userId,
      venue: account.venue,
      asset,
      reason,
      delta: str(delta),
      venueTotal: venueTotal === null ? null : str(venueTotal),
      freeChange: str(newFree.minus(free)),
      shortfall: str(newFree.minus(wanted)),
      venueEventId,
    },
  };
}

const isOpened = (account: AccountState): account is AccountState & { userId: string } => account.userId !== null;

/**
 * A venue balanceUpdate. Ignored when the account trades on another venue now (a stream of keys
 * since replaced) or is not open. A repeat is stopped by the commit id the caller derives from
 * the venue's event.
 */
export function recordBalanceUpdate(cmd: RecordBalanceUpdate, account: AccountState): AccountEvent[] {
  if (!isOpened(account) || account.venue !== cmd.venue) return [];
  const delta = dec(cmd.delta);
  const event = change(account, cmd.asset, delta, null, delta.gt(0) ? 'deposit' : 'withdrawal', cmd.venueEventId);
  return event ? [event] : [];
}

/**
 * Brings each asset named (every asset, the venue's and Blotter's, when `assets` is null) to the
 * venue's total. Deciding this is only sound for assets no order can be moving at the same time:
 * the caller picks them.
 */
export function syncVenueBalances(cmd: SyncVenueBalances, account: AccountState): AccountEvent[] {
  if (!isOpened(account) || account.venue !== cmd.venue) return [];
  const venue = new Map(cmd.holdings.map((h) => [h.asset, dec(h.total)]));
  const assets = cmd.assets ?? [...new Set([...Object.keys(account.balances), ...venue.keys()])].sort();
  const events: AccountEvent[] = [];
  for (const asset of assets) {
    const held = account.balances[asset] ?? { free: '0', locked: '0' };
    const total = venue.get(asset) ?? dec(0);
    const event = change(account, asset, total.minus(held.free).minus(held.locked), total, 'sync', null);
    if (event) events.push(event);
  }
  return events;
}

/** What Blotter has locked of an asset beyond the venue's figure, per asset, in these events. */
export const shortfalls = (events: readonly AccountEvent[]): Map<string, string> =>
  new Map(
    events.flatMap((e) => (e.type === 'VenueBalanceChanged' && dec(e.data.shortfall).gt(0) ? [[e.data.asset, e.data.shortfall]] : [])),
  );

/**
 * A change of keys, then every asset brought to what the venue traded on afterwards holds: one
 * commit, so the balances are that venue's from the moment its keys apply.
 */
function withHoldings(
  cmd: { commandId: string; userId: string; at: string },
  changed: AccountEvent[],
  holdings: readonly VenueHolding[],
  account: AccountState,
): AccountEvent[] {
  if (changed.length === 0) return [];
  const after = changed.reduce((s, e) => evolveAccount(s, e, { seq: 0, occurredAt: cmd.at }), account);
  const sync = { commandId: cmd.commandId, userId: cmd.userId, at: cmd.at, venue: after.venue, holdings: [...holdings], assets: null };
  return [...changed, ...syncVenueBalances(sync, after)];
}

/** StoreVenueKeys with the venue account read with those keys, so the user can trade at once. */
export const storeVenueKeysWithHoldings = (cmd: StoreVenueKeys, holdings: readonly VenueHolding[], account: AccountState): AccountEvent[] =>
  withHoldings(cmd, storeVenueKeys(cmd, account), holdings, account);

/**
 * RemoveVenueKeys with the paper account (Blotter's simulator) read with the user's paper keys: back
 * on paper, the balances are the paper account's again, not those of the venue left.
 */
export const removeVenueKeysWithHoldings = (
  cmd: RemoveVenueKeys,
  holdings: readonly VenueHolding[],
  account: AccountState,
): AccountEvent[] => withHoldings(cmd, removeVenueKeys(cmd, account), holdings, account);
