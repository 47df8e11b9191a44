// The engine's commit sink. With a data directory, every unit of work becomes one journal line and
// its user events are delivered only once that line is on disk; without one (tests of other
// packages, `:memory:`), events go out at once and a restart starts empty.
//
// Files in the data directory: snapshot.json (the whole venue as of journal record `n`) and
// journal.jsonl (the records after it). A snapshot is written at boot, at a clean shutdown and
// whenever the journal passes COMPACT_BYTES; it goes to a temporary file that is fsynced and then
// renamed over the old one, so there is always one complete snapshot.
import { mkdirSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Account } from '../engine/accounts.ts';
import type { Changes, CommitSink, CountersState } from '../engine/changes.ts';
import type { UserEvent } from '../engine/user-events.ts';
import { Journal, syncDir } from './journal.ts';
import { DirLock } from './lock.ts';
import type { JournalRecord, Snapshot } from './records.ts';
import { accountRow, balanceRows, orderRow, preventedRow, tradeRow } from './rows.ts';

export type UserEventListener = (apiKey: string, event: UserEvent) => void;

/** Journal size that triggers a snapshot (and an empty journal). */
export const COMPACT_BYTES = 64 * 1024 * 1024;

export const snapshotPath = (dir: string): string => join(dir, 'snapshot.json');
export const journalPath = (dir: string): string => join(dir, 'journal.jsonl');

export class Persistence implements CommitSink {
  private readonly listeners = new Set<UserEventListener>();
  private n: number;
  private compacting: Promise<void> | undefined;
  /** Builds the whole venue as a snapshot (set by the simulator once it is assembled). */
  snapshotOf: ((n: number) => Snapshot) | undefined;

  private constructor(
    private readonly journal: Journal | undefined,
    private readonly dir: string | undefined,
    lastN: number,
    private readonly lock?: DirLock,
    private readonly compactBytes = COMPACT_BYTES,
  ) {
    this.n = lastN;
  }

  static memory(): Persistence {
    return new Persistence(undefined, undefined, 0);
  }

  /** Locks the directory (recovery must run under the lock too: see lockDataDir). */
  static async open(
    dir: string,
    lastN: number,
    lock: DirLock,
    onFailure: (err: unknown) => void,
    compactBytes = COMPACT_BYTES,
  ): Promise<Persistence> {
    return new Persistence(await Journal.open(journalPath(dir), onFailure), dir, lastN, lock, compactBytes);
  }

  /** Creates the directory if needed and takes its lock; throws DataDirLocked when another simulator has it. */
  static lockDataDir(dir: string): DirLock {
    mkdirSync(dir, { recursive: true });
    return DirLock.acquire(dir);
  }

  get durable(): boolean {
    return this.journal !== undefined;
  }

  onUserEvent(listener: UserEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  commit(changes: Changes, counters: CountersState): void {
    const events = changes.events;
    const deliver = () => {
      for (const { account, event } of events) for (const l of this.listeners) l(account.apiKey, event);
    };
    if (!this.journal) {
      deliver();
      return;
    }
    this.n += 1;
    this.journal.append(JSON.stringify(recordOf(this.n, changes, counters)), deliver);
    if (this.journal.size > this.compactBytes && !this.compacting) {
      this.compacting = this.compact().finally(() => {
        this.compacting = undefined;
      });
    }
  }

  /** Resolves when everything committed so far is on disk (at once in memory mode). */
  flushed(): Promise<void> {
    return this.journal ? this.journal.flushed() : Promise.resolve();
  }

  /** Writes a snapshot of the current state and empties the journal. */
  async compact(): Promise<void> {
    if (!this.journal || !this.dir || !this.snapshotOf) return;
    const snapshot = this.snapshotOf(this.n);
    writeSnapshot(this.dir, snapshot);
    await this.journal.truncate();
  }

  async close(): Promise<void> {
    if (!this.journal) return;
    await this.compacting;
    await this.journal.flushed().catch(() => undefined);
    await this.compact();
    await this.journal.close();
    this.lock?.release();
  }

  /** Stops writing without a final snapshot, as a crash would (what is durable stays durable). */
  async halt(): Promise<void> {
    if (!this.journal) return;
    await this.journal.flushed().catch(() => undefined);
    await this.journal.close();
    this.lock?.release();
  }
}

function recordOf(n: number, c: Changes, counters: CountersState): JournalRecord {
  const touched = new Map<Account, Set<string>>();
  for (const [account, assets] of c.balances) touched.set(account, new Set(assets));
  for (const account of c.orders.values()) if (!touched.has(account)) touched.set(account, new Set());
  return {
    n,
    t: c.now,
    counters,
    accounts: [...c.accounts].map((a) => ({ ...accountRow(a) })),
    touched: [...touched].map(([a, assets]) => ({ k: a.apiKey, updateTime: a.updateTime, balances: balanceRows(a, assets) })),
    orders: [...c.orders].map(([o, a]) => ({ k: a.apiKey, o: orderRow(o) })),
    trades: c.trades.map(({ account, trade }) => ({ k: account.apiKey, t: tradeRow(trade) })),
    prevented: c.prevented.map(({ account, match }) => ({ k: account.apiKey, p: preventedRow(match) })),
  };
}

/** The whole state of the given accounts, for the snapshot. */
export function snapshotOf(n: number, now: number, counters: CountersState, accounts: Account[]): Snapshot {
  return {
    version: 1,
    n,
    t: now,
    counters,
    accounts: accounts.map((a) => ({
      ...accountRow(a),
      balances: balanceRows(a),
      orders: a.orders.map(orderRow),
      trades: a.trades.map(tradeRow),
      prevented: a.prevented.map(preventedRow),
    })),
  };
}

export function writeSnapshot(dir: string, snapshot: Snapshot): void {
  const tmp = `${snapshotPath(dir)}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  const fd = openSync(tmp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, snapshotPath(dir));
  syncDir(dir);
}
