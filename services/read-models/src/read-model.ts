// What a read model is to the runner: which rows an event touches, how an event changes a row (a
// pure function), and how rows are loaded and saved inside the batch's transaction. The runner, the
// in-memory replay and the verify/rebuild tools all drive read models through this one interface.
import type { RecordedEvent } from '@blotter/eventstore';
import type { UserChannel } from '@blotter/schemas';
import type { Transaction } from 'kysely';
import type { ReadModelTables } from './db.ts';

/** Each read model is the data of one user channel of the live API. */
export type ChannelName = UserChannel;

export interface ReadModel<Row> {
  readonly name: ChannelName;
  /** Keys of the rows this event changes; [] when it does not concern this read model. */
  keysOf(event: RecordedEvent): string[];
  /** The row after the event. Pure: same inputs, same row, in the live projector and in a replay. */
  apply(row: Row | undefined, event: RecordedEvent, key: string): Row;
  load(trx: Transaction<ReadModelTables>, schema: string, keys: readonly string[]): Promise<Map<string, Row>>;
  save(trx: Transaction<ReadModelTables>, schema: string, rows: readonly Row[]): Promise<void>;
  keyOf(row: Row): string;
  userOf(row: Row): string;
  versionOf(row: Row): number;
  /** The row as readers see it (WebSocket updates, replays). */
  view(row: Row): unknown;
}

// The runner holds models of different row types side by side.
// biome-ignore lint/suspicious/noExplicitAny: the row type is private to each model
export type AnyReadModel = ReadModel<any>;
