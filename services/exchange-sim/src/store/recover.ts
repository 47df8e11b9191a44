// Reading a data directory back: the snapshot, then every journal record after it, each checked
// against its schema. Records are upserts (an order's full state, an account's balances), so
// applying one twice is harmless; the result is the venue as of the last durable record.
import { existsSync, readFileSync } from 'node:fs';
import { Compile } from 'typebox/compile';
import { JournalCorrupt, readJournal } from './journal.ts';
import { journalPath, snapshotPath } from './persistence.ts';
import { type AccountRow, type BalanceRow, JournalRecord, type OrderRow, type PreventedRow, Snapshot, type TradeRow } from './records.ts';
import { orderKey, preventedKey, tradeKey } from './rows.ts';

const SnapshotCheck = Compile(Snapshot);
const RecordCheck = Compile(JournalRecord);

export interface RecoveredAccount {
  row: AccountRow;
  balances: Map<string, BalanceRow>;
  orders: Map<string, OrderRow>;
  trades: Map<string, TradeRow>;
  prevented: Map<string, PreventedRow>;
}

export interface Recovered {
  /** Number of the last record applied. */
  n: number;
  /** Time of the last durable write (snapshot or record). */
  t: number;
  counters: JournalRecord['counters'] | undefined;
  accounts: Map<string, RecoveredAccount>;
  records: number;
}

export function recover(dir: string): Recovered {
  const state: Recovered = { n: 0, t: 0, counters: undefined, accounts: new Map(), records: 0 };
  const snapPath = snapshotPath(dir);
  if (existsSync(snapPath)) {
    const snap: unknown = JSON.parse(readFileSync(snapPath, 'utf8'));
    if (!SnapshotCheck.Check(snap))
      throw new JournalCorrupt(`${snapPath} does not have the snapshot's shape: ${firstError(SnapshotCheck, snap)}`);
    state.n = snap.n;
    state.t = snap.t;
    state.counters = snap.counters;
    for (const a of snap.accounts) {
      const { balances, orders, trades, prevented, ...row } = a;
      state.accounts.set(a.apiKey, {
        row,
        balances: new Map(balances.map((b) => [b[0], b])),
        orders: new Map(orders.map((o) => [orderKey(o.symbol, o.orderId), o])),
        trades: new Map(trades.map((t) => [tradeKey(t), t])),
        prevented: new Map(prevented.map((p) => [preventedKey(p), p])),
      });
    }
  }
  for (const raw of readJournal(journalPath(dir))) {
    if (!RecordCheck.Check(raw))
      throw new JournalCorrupt(`a journal record does not have the record's shape: ${firstError(RecordCheck, raw)}`);
    if (raw.n <= state.n) continue;
    apply(state, raw);
    state.records += 1;
  }
  return state;
}

function apply(state: Recovered, r: JournalRecord): void {
  state.n = r.n;
  state.t = r.t;
  state.counters = r.counters;
  for (const row of r.accounts) {
    const known = state.accounts.get(row.apiKey);
    if (known) known.row = row;
    else state.accounts.set(row.apiKey, { row, balances: new Map(), orders: new Map(), trades: new Map(), prevented: new Map() });
  }
  const of = (k: string): RecoveredAccount => {
    const a = state.accounts.get(k);
    if (!a) throw new JournalCorrupt(`journal record ${r.n} names an unknown account`);
    return a;
  };
  for (const t of r.touched) {
    const a = of(t.k);
    a.row = { ...a.row, updateTime: t.updateTime };
    for (const b of t.balances) a.balances.set(b[0], b);
  }
  for (const { k, o } of r.orders) of(k).orders.set(orderKey(o.symbol, o.orderId), o);
  for (const { k, t } of r.trades) of(k).trades.set(tradeKey(t), t);
  for (const { k, p } of r.prevented) of(k).prevented.set(preventedKey(p), p);
}

function firstError(check: { Errors(v: unknown): Iterable<{ instancePath: string; message: string }> }, value: unknown): string {
  for (const e of check.Errors(value)) return `${e.instancePath || '/'} ${e.message}`;
  return 'unknown';
}
