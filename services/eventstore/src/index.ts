export { type EventMeta, type Evolver, type Loaded, loadAggregate } from './aggregate.ts';
export { type CommitMeta, decodeCommit, encodeCommit, rawCommit, type RecordedEvent, recordedEvents, type StoredCommit } from './codec.ts';
export { connectNats } from './connect.ts';
export { DirectGetError, type DirectMessage, directGet, directGetBatch, type DirectQuery } from './direct.ts';
export {
  ConcurrencyError,
  isWrongLastSequence,
  JsErrorCode,
  jsErrorCode,
  OutcomeUnknownError,
  PoisonMessageError,
  UnsupportedServerError,
} from './errors.ts';
export { type AppendResult, EventStore, MIN_SERVER_VERSION, type ReadOptions } from './event-store.ts';
export { canonicalJson, commitHash } from './hash.ts';
export { nameUuid, uuidv7 } from './ids.ts';
export { type EventQuery, filterSubject, type QueriedEvent, queryEvents } from './query.ts';
export { defaultInstanceId, type LeaseOptions, PartitionLeases, partitionChoice } from './leases.ts';
export { Lru } from './lru.ts';
export {
  deadLetterStreamConfig,
  defaultStreamOptions,
  type EnsuredStreams,
  ensureStreams,
  eventStreamConfig,
  type StreamOptions,
  type StreamSizing,
} from './streams.ts';
export {
  type Decide,
  type Decision,
  type ScopeEvolver,
  type ScopeHandled,
  type ScopeOptions,
  ScopeRepository,
  scopeStats,
} from './scope.ts';
export { SnapshotStore } from './snapshots.ts';
export { type Follower, follow } from './follow.ts';
export { type Backoff, backoffDelay } from './backoff.ts';
export { type Logger, silentLogger } from './logger.ts';
export {
  type MessageSink,
  PartitionedConsumer,
  type PartitionedConsumerOptions,
  type PartitionWorker,
} from './partitioned-consumer.ts';
