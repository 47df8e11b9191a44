// Every test file gets its own namespace (so its own streams, subjects and KV buckets) on the real
// NATS server `make up` resolved, and its own Postgres database; both are removed when it ends.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { connectNats, defaultStreamOptions, EventStore, type StreamOptions } from '@blotter/eventstore';
import { parseEnv as parseSettings, StreamSettings } from '@blotter/schemas';
import type { NatsConnection } from 'nats';
import { repoRoot } from '../../../infra/lib/services.mjs';

/** NATS_URL / DATABASE_URL from the environment, else from what `make up` wrote to .data/infra.env. */
export function infraEnv(name: 'NATS_URL' | 'DATABASE_URL'): string {
  const fromEnv = process.env[name];
  if (fromEnv) return fromEnv;
  const file = join(repoRoot, '.data/infra.env');
  const value = existsSync(file) ? parseEnv(readFileSync(file, 'utf8'))[name] : undefined;
  if (value) return value;
  throw new Error(`${name} is not set: run \`make up\` first (tests need the real NATS and Postgres)`);
}

export const testNamespace = (prefix = 't') => `${prefix}${Math.random().toString(36).slice(2, 10)}`;

export interface TestStore {
  nc: NatsConnection;
  store: EventStore;
  namespace: string;
  /** Deletes the namespace's streams and KV buckets and closes the connection. */
  close(): Promise<void>;
}

export async function openTestStore(overrides: Partial<StreamOptions> & { natsUrl?: string } = {}): Promise<TestStore> {
  const { natsUrl, ...options } = overrides;
  const namespace = options.namespace ?? testNamespace();
  const nc = await connectNats(natsUrl ?? infraEnv('NATS_URL'), `test-${namespace}`);
  // STREAM_REPLICAS=3 in the environment (after `make cluster`) sizes the test's streams too.
  const store = await EventStore.open(nc, { ...defaultStreamOptions(namespace, parseSettings(StreamSettings)), ...options, namespace });
  return {
    nc,
    store,
    namespace,
    close: async () => {
      await deleteNamespace(nc, namespace).catch(() => {});
      await nc.drain().catch(() => {});
    },
  };
}

/** deleteNamespace on a connection of its own, for a namespace something else created (make up, say). */
export async function removeNamespace(namespace: string, natsUrl = infraEnv('NATS_URL')): Promise<string[]> {
  const nc = await connectNats(natsUrl, `remove-${namespace}`);
  try {
    return await deleteNamespace(nc, namespace);
  } finally {
    await nc.drain().catch(() => {});
  }
}

/**
 * Deletes every stream of `namespace`: its event and dead-letter streams and every KV bucket
 * (`KV_<NS>_SNAPSHOTS`, `KV_<NS>_LOGIN_ATTEMPTS`, `KV_<NS>_LEASES`, and any bucket added later), found
 * by name on the server rather than from a list that a new bucket would silently miss.
 */
export async function deleteNamespace(nc: NatsConnection, namespace: string): Promise<string[]> {
  const jsm = await nc.jetstreamManager();
  const ns = namespace.toUpperCase();
  const deleted: string[] = [];
  for await (const name of jsm.streams.names()) {
    if (!name.startsWith(`${ns}_`) && !name.startsWith(`KV_${ns}_`)) continue;
    if (await jsm.streams.delete(name).catch(() => false)) deleted.push(name);
  }
  return deleted;
}
