// Stream configuration, in one place. Services call `ensureStreams` at start (and `make up` does
// too), so a fresh server is usable without manual setup and a second call changes nothing.
import { type JetStreamManager, nanos, RetentionPolicy, StorageType, type StreamConfig } from 'nats';
import { namespaceSubjects, StreamSettings, streamNames } from '@blotter/schemas';
import type { Static } from 'typebox';
import Value from 'typebox/value';
import { JsErrorCode, jsErrorCode } from './errors.ts';

export interface StreamOptions {
  /** Prefix of every subject and stream name (`blotter`, or a random one per test file). */
  namespace: string;
  /** Partitions for new streams; an existing stream keeps the count recorded in its metadata. */
  partitions: number;
  /** Replicas: 1 on a single server, 3 on a cluster (`make cluster`). */
  replicas: number;
  /** How long the server remembers a Nats-Msg-Id to drop a retried append, in ms. */
  duplicateWindowMs: number;
}

const DEFAULT_SIZING = Value.Create(StreamSettings);

/** How new streams are sized: the services' STREAM_PARTITIONS and STREAM_REPLICAS settings. */
export type StreamSizing = Partial<Static<typeof StreamSettings>>;

/**
 * Options for a namespace's streams. The sizing comes from the caller's validated configuration
 * (StackSettings); either one left out is the setting's default.
 */
export const defaultStreamOptions = (namespace: string, sizing: StreamSizing = {}): StreamOptions => ({
  namespace,
  partitions: sizing.STREAM_PARTITIONS ?? DEFAULT_SIZING.STREAM_PARTITIONS,
  replicas: sizing.STREAM_REPLICAS ?? DEFAULT_SIZING.STREAM_REPLICAS,
  duplicateWindowMs: 5 * 60_000,
});

const PARTITIONS_KEY = 'blotter.partitions';
/** PartitionLeases' default lease time, the max age of the lease bucket created here. */
const LEASE_TTL_MS = 15_000;

/** The order and account event stream: immutable, deduplicating, readable by direct get. */
export function eventStreamConfig(o: StreamOptions): Partial<StreamConfig> {
  return {
    name: streamNames(o.namespace).events,
    description: 'Blotter order and account commits (one message per command)',
    subjects: [namespaceSubjects(o.namespace).allEvents],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    num_replicas: o.replicas,
    // Events are the record of what happened: nothing may remove them, not even an operator.
    deny_delete: true,
    deny_purge: true,
    // Aggregates are loaded with direct get (last/next by subject) instead of a consumer per command.
    allow_direct: true,
    duplicate_window: nanos(o.duplicateWindowMs),
    max_msg_size: 1024 * 1024,
    max_msgs_per_subject: -1,
    metadata: { [PARTITIONS_KEY]: String(o.partitions) },
  };
}

/** Messages that failed to project, kept with the error and their original sequence. */
export function deadLetterStreamConfig(o: StreamOptions): Partial<StreamConfig> {
  return {
    name: streamNames(o.namespace).deadLetters,
    description: 'Blotter dead letters: commits a consumer could not process',
    subjects: [namespaceSubjects(o.namespace).allDeadLetters],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    num_replicas: o.replicas,
    allow_direct: true,
    duplicate_window: nanos(o.duplicateWindowMs),
  };
}

export interface EnsuredStreams {
  events: string;
  deadLetters: string;
  partitions: number;
  /** Replicas of the streams and buckets created here (and of any bucket a service creates). */
  replicas: number;
}

export async function ensureStreams(jsm: JetStreamManager, o: StreamOptions): Promise<EnsuredStreams> {
  const names = streamNames(o.namespace);
  let partitions = o.partitions;
  for (const config of [eventStreamConfig(o), deadLetterStreamConfig(o)]) {
    try {
      const info = await jsm.streams.info(config.name as string);
      const recorded = info.config.metadata?.[PARTITIONS_KEY];
      if (config.name === names.events && recorded) partitions = Number(recorded);
    } catch (err) {
      if (jsErrorCode(err) !== JsErrorCode.StreamNotFound) throw err;
      await jsm.streams.add(config);
    }
  }
  // On a cluster the partition leases must survive a node too: create their KV bucket with the
  // same replicas (PartitionLeases opens an existing bucket as it is; on one server it creates it R1).
  const kv = jsm.jetstream().views;
  if (o.replicas > 1) await kv.kv(names.leasesBucket, { ttl: LEASE_TTL_MS, history: 1, replicas: o.replicas });
  // Saved aggregate states (SnapshotStore): one value per key, a cache of the stream.
  await kv.kv(names.snapshotsBucket, { history: 1, replicas: o.replicas, description: 'Blotter aggregate snapshots (rebuildable)' });
  return { events: names.events, deadLetters: names.deadLetters, partitions, replicas: o.replicas };
}
