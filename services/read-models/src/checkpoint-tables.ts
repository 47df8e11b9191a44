// The bookkeeping tables' row types, apart from the code that writes them (checkpoints.ts): the
// database's table map (db.ts) needs the types, and the writer needs the map.
export interface CheckpointsTable {
  projection: string;
  partition: number;
  /** Last stream sequence applied. */
  seq: number;
  /** The stream that numbered `seq` (StreamIdentity.key); null on rows written before it was recorded. */
  stream: string | null;
  updatedAt: string;
}

/** The stream position of the last change to one user's rows of one channel (WebSocket versions). */
export interface ChannelVersionsTable {
  userId: string;
  channel: string;
  version: number;
}
