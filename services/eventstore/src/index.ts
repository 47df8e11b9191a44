export { AggregateRepository, type AggregateOptions, type EventMeta, type Evolver, type Handled, type Loaded } from './aggregate.ts';
export { type CommitMeta, decodeCommit, encodeCommit, rawCommit, type RecordedEvent, type StoredCommit } from './codec.ts';
export { connectNats } from './connect.ts';
export { DirectGetError, type DirectMessage, directGet, type DirectQuery } from './direct.ts';
export { ConcurrencyError, isWrongLastSequence, JsErrorCode, jsErrorCode, PoisonMessageError } from './errors.ts';
export { type AppendResult, EventStore, type ReadOptions } from './event-store.ts';
export { canonicalJson, commitHash } from './hash.ts';
export { nameUuid, uuidv7 } from './ids.ts';
export { type EventQuery, filterSubject, type QueriedEvent, queryEvents } from './query.ts';
export { type LeaseOptions, PartitionLeases, partitionChoice } from './leases.ts';
export { Lru } from './lru.ts';
export {
  deadLetterStreamConfig,
  defaultStreamOptions,
  type EnsuredStreams,
  ensureStreams,
  eventStreamConfig,
  type StreamOptions,
} from './streams.ts';
