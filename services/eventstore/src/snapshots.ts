// Saved aggregate states in a JetStream KV bucket. A snapshot is only a shortcut: the state at
// stream sequence `seq`, to which the reader adds what was appended after it. So a lost, old or
// unreadable snapshot costs a longer read, never a wrong state; any process may write one (states
// are deterministic folds of the stream) and the last write wins.
import { StateSnapshot, streamNames } from '@blotter/schemas';
import type { KV } from 'nats';
import { Compile } from 'typebox/compile';
import type { EventStore } from './event-store.ts';

const check = Compile(StateSnapshot);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SnapshotStore {
  private kv: Promise<KV> | null = null;

  constructor(private readonly store: EventStore) {}

  /** The snapshot saved under `key`, or null when there is none or it is not a snapshot. */
  async get(key: string): Promise<StateSnapshot | null> {
    const entry = await (await this.bucket()).get(key);
    if (entry?.operation !== 'PUT') return null;
    let value: unknown;
    try {
      value = JSON.parse(decoder.decode(entry.value));
    } catch {
      return null;
    }
    return check.Check(value) ? value : null;
  }

  async put(key: string, snapshot: StateSnapshot): Promise<void> {
    await (await this.bucket()).put(key, encoder.encode(JSON.stringify(snapshot)));
  }

  private bucket(): Promise<KV> {
    // The bucket is created by ensureStreams (with the stream's replicas); this binds to it.
    this.kv ??= this.store.js.views.kv(streamNames(this.store.namespace).snapshotsBucket, { bindOnly: true });
    return this.kv;
  }
}
