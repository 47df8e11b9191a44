// NATS subjects and stream names: the addressing half of the contract. A namespace (`blotter` in
// production, a random one per test file) prefixes every name so many systems share one server.
//
//   <ns>.evt.<partition>.<userId>.order.<orderId>   one order's commits        (stream <NS>_EVENTS)
//   <ns>.evt.<partition>.<userId>.account           one user's account commits (stream <NS>_EVENTS)
//   <ns>.evt.<partition>.<userId>.alert.<alertId>   one price alert's commits  (stream <NS>_EVENTS)
//   <ns>.evt.<partition>.<auditorId>.audit          one auditor's reads        (stream <NS>_EVENTS)
//   <ns>.evt.<partition>.<nil uuid>.control         the kill switch            (stream <NS>_EVENTS)
//   <ns>.changes.<userId>                           read-model change notices  (core NATS)
//   <ns>.market.ticker.<symbol>                     last price                 (core NATS)
//   <ns>.market.candle.<symbol>.<interval>          current candle             (core NATS)
//   <ns>.market.rpc.<method>                        market data request/reply  (core NATS)
//   <ns>.dlq.<group>                                a consumer's poison commits (stream <NS>_DLQ)
//   <ns>.stats.executor                             the executor's figures     (core NATS)
//
// The partition token keeps all of one user's events on one partition (so a user's balance events
// stay in order) while letting N consumers share the stream. The partition count is fixed when the
// stream is created and stored in the stream's metadata; writers read it from there.

export type Namespace = string;

const TOKEN = /^[A-Za-z0-9_-]+$/;

function token(value: string, what: string): string {
  if (!TOKEN.test(value)) throw new Error(`invalid ${what} for a subject token: ${JSON.stringify(value)}`);
  return value;
}

export const streamNames = (ns: Namespace) => ({
  events: `${ns.toUpperCase()}_EVENTS`,
  deadLetters: `${ns.toUpperCase()}_DLQ`,
  /** KV bucket of partition leases (its stream is `KV_<bucket>`). */
  leasesBucket: `${ns.toUpperCase()}_LEASES`,
  /** KV bucket of saved aggregate states (accounts, executor indexes): a cache, rebuilt from the stream. */
  snapshotsBucket: `${ns.toUpperCase()}_SNAPSHOTS`,
  /** KV bucket of login attempts per account and address, shared by every gateway. */
  loginAttemptsBucket: `${ns.toUpperCase()}_LOGIN_ATTEMPTS`,
});

/** FNV-1a: a stable, dependency-free hash, identical in every process and language. */
export function partitionOf(userId: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

/** The subjects that do not depend on the partition count (notices, market data, bookkeeping). */
export const namespaceSubjects = (ns: Namespace) => ({
  allEvents: `${ns}.evt.>`,
  partitionEvents: (p: number) => `${ns}.evt.${p}.>`,
  allOrderEvents: `${ns}.evt.*.*.order.*`,
  partitionOrderEvents: (p: number) => `${ns}.evt.${p}.*.order.*`,
  /** One order's commits, whatever its user and partition (for queries by order id). */
  anyOrder: (orderId: string) => `${ns}.evt.*.*.order.${token(orderId, 'order id')}`,
  allAlertEvents: `${ns}.evt.*.*.alert.*`,
  changes: (userId: string) => `${ns}.changes.${token(userId, 'user id')}`,
  allChanges: `${ns}.changes.*`,
  ticker: (symbol: string) => `${ns}.market.ticker.${token(symbol, 'symbol')}`,
  allTickers: `${ns}.market.ticker.*`,
  candle: (symbol: string, interval: string) => `${ns}.market.candle.${token(symbol, 'symbol')}.${interval}`,
  allCandles: `${ns}.market.candle.>`,
  marketRpc: (method: 'symbols' | 'candles' | 'ticker') => `${ns}.market.rpc.${method}`,
  deadLetters: (group: string) => `${ns}.dlq.${token(group, 'consumer group')}`,
  allDeadLetters: `${ns}.dlq.>`,
  executorStats: `${ns}.stats.executor`,
});

export const subjects = (ns: Namespace, partitions: number) => ({
  ...namespaceSubjects(ns),
  userEvents: (userId: string) => `${ns}.evt.${partitionOf(userId, partitions)}.${token(userId, 'user id')}.>`,
  order: (userId: string, orderId: string) =>
    `${ns}.evt.${partitionOf(userId, partitions)}.${token(userId, 'user id')}.order.${token(orderId, 'order id')}`,
  alert: (userId: string, alertId: string) =>
    `${ns}.evt.${partitionOf(userId, partitions)}.${token(userId, 'user id')}.alert.${token(alertId, 'alert id')}`,
  account: (userId: string) => `${ns}.evt.${partitionOf(userId, partitions)}.${token(userId, 'user id')}.account`,
  audit: (auditorId: string) => `${ns}.evt.${partitionOf(auditorId, partitions)}.${token(auditorId, 'user id')}.audit`,
  control: (systemUserId: string) => `${ns}.evt.${partitionOf(systemUserId, partitions)}.${systemUserId}.control`,
});
export type Subjects = ReturnType<typeof subjects>;

/** Parses an event subject back into its parts; null for anything else. */
export function parseEventSubject(
  subject: string,
):
  | { partition: number; userId: string; kind: 'order'; orderId: string }
  | { partition: number; userId: string; kind: 'alert'; alertId: string }
  | { partition: number; userId: string; kind: 'account' | 'audit' | 'control' }
  | null {
  const parts = subject.split('.');
  if (parts[1] !== 'evt' || parts.length < 5) return null;
  const partition = Number(parts[2]);
  const userId = parts[3] as string;
  if (parts[4] === 'order' && parts.length === 6) return { partition, userId, kind: 'order', orderId: parts[5] as string };
  if (parts[4] === 'alert' && parts.length === 6) return { partition, userId, kind: 'alert', alertId: parts[5] as string };
  const kind = parts[4];
  if ((kind === 'account' || kind === 'audit' || kind === 'control') && parts.length === 5) return { partition, userId, kind };
  return null;
}
