// Balances the venue changes without Blotter's orders, recorded on the user's account (through the
// account scope, like every account command) so the read models still derive from events:
//  - each balanceUpdate of the user-data stream (deposits, withdrawals, transfers), under a commit
//    id derived from the venue's event, so a redelivered or replayed update is stored once;
//  - after the stream (re)connects (balanceUpdates may have been missed), a sync of each asset
//    that no order can be moving meanwhile. outboundAccountPosition is never used: it follows
//    every trade, and the trades are recorded as fills already.
// Only keys of venues Blotter does not provision itself are followed: a paper account's balances
// are Blotter's own simulator account, recorded when it was opened, and the differential test
// checks them against the simulator (a sync would hide what it must find).
import { createHash } from 'node:crypto';
import { type EventStore, ScopeRepository, uuidv7, type Logger } from '@blotter/eventstore';
import { type AccountState, accountAggregate, dec, recordBalanceUpdate, shortfalls, syncVenueBalances } from '@blotter/orders';
import type { AccountEvent, DomainEvent, Venue } from '@blotter/schemas';
import type { VenueBalanceUpdate, VenueClient } from './venue/types.ts';

/** Venues whose balances are followed from the venue. */
export const followsBalances = (venue: Venue): boolean => venue === 'binance-testnet';

export interface VenueBalancesOptions {
  store: EventStore;
  /** Asks for the user's open orders to be reconciled (the venue holds less than Blotter locked). */
  reconcile(userId: string): void;
  clientFor(userId: string, venue: Venue): Promise<VenueClient>;
  log: Logger;
}

/**
 * Assets an order of the account may be moving: its base and quote, its reservation, the fees it
 * paid so far, and BNB (Binance may take any fill's fee in BNB).
 */
function busyAssets(account: AccountState): Set<string> {
  const busy = new Set<string>();
  for (const o of Object.values(account.openOrders)) {
    for (const a of [o.baseAsset, o.quoteAsset, o.reservedAsset, ...o.fees.map((f) => f.asset), 'BNB']) if (a) busy.add(a);
  }
  return busy;
}

export class VenueBalances {
  readonly accounts: ScopeRepository<AccountState, DomainEvent>;

  constructor(private readonly o: VenueBalancesOptions) {
    this.accounts = ScopeRepository.forUsers<AccountState, DomainEvent>(o.store, accountAggregate, { log: o.log });
  }

  private target(userId: string, commitId: string) {
    return {
      subject: this.o.store.subjects.account(userId),
      aggregateId: userId,
      commitId,
      occurredAt: new Date().toISOString(),
      correlationId: null,
    };
  }

  private after(userId: string, events: readonly AccountEvent[]): void {
    const short = shortfalls(events);
    if (short.size === 0) return;
    this.o.log.warn({ userId, shortfall: Object.fromEntries(short) }, 'the venue holds less than Blotter has locked; reconciling');
    this.o.reconcile(userId);
  }

  /** Records one balanceUpdate (stored once however often it arrives). */
  async onBalanceUpdate(userId: string, venue: Venue, update: VenueBalanceUpdate): Promise<void> {
    const venueEventId = `balanceUpdate:${update.eventTime}:${update.clearTime}:${update.asset}:${update.delta}`;
    const commitId = `bal-${createHash('sha256').update(`${userId}|${venue}|${venueEventId}`).digest('hex').slice(0, 32)}`;
    const cmd = {
      commandId: commitId,
      userId,
      at: new Date().toISOString(),
      venue,
      asset: update.asset,
      delta: update.delta,
      venueEventId,
    };
    const result = await this.accounts.decide(userId, this.target(userId, commitId), (account) => recordBalanceUpdate(cmd, account));
    this.after(userId, result.events as AccountEvent[]);
  }

  /**
   * After an order of a followed venue closed. Its release gave back all Blotter had reserved; when
   * the venue held less than that (a shortfall), free is now above the venue's figure. The assets
   * no other order is moving are brought to the venue's figure now rather than at the next
   * reconnect.
   */
  async afterClose(userId: string, venue: Venue): Promise<void> {
    if (!followsBalances(venue)) return;
    try {
      const { state } = await this.accounts.loadFresh(userId);
      if (Object.keys(state.shortfalls).length === 0) return;
      await this.sync(userId, venue, await this.o.clientFor(userId, venue), state);
    } catch (err) {
      this.o.log.warn({ userId, err: String(err) }, 'venue balance sync after a close failed; the next close or reconnect retries');
    }
  }

  /**
   * Brings every asset no order can be moving to the venue's figure. An asset is left out when an
   * open order of the user involves it before the venue was read or when deciding (an order in
   * flight is open in Blotter from OrderPlaced on), or when its balance moved in between (a fill
   * recorded meanwhile may or may not be in the venue's figure). `before`: the account as just read
   * fresh by the caller, if it was (it must have been read before the venue is).
   */
  async sync(userId: string, venue: Venue, client: VenueClient, before?: AccountState): Promise<void> {
    before ??= (await this.accounts.loadFresh(userId)).state;
    const holdings = (await client.balances()).map((b) => ({ asset: b.asset, total: addDecimals(b.free, b.locked) }));
    const commitId = uuidv7();
    const result = await this.accounts.decide(userId, this.target(userId, commitId), (account) => {
      const busy = new Set([...busyAssets(before), ...busyAssets(account)]);
      const all = new Set([...Object.keys(account.balances), ...holdings.map((h) => h.asset)]);
      const moved = (a: string) =>
        before.balances[a]?.free !== account.balances[a]?.free || before.balances[a]?.locked !== account.balances[a]?.locked;
      const assets = [...all].filter((a) => !busy.has(a) && !moved(a)).sort();
      return syncVenueBalances({ commandId: commitId, userId, at: new Date().toISOString(), venue, holdings, assets }, account);
    });
    if (result.events.length > 0) this.o.log.info({ userId, changes: result.events.length }, 'venue balances synced');
    this.after(userId, result.events as AccountEvent[]);
  }
}

/** free + locked as the venue reports them (decimal strings). */
function addDecimals(a: string, b: string): string {
  return dec(a).plus(b).toFixed();
}
