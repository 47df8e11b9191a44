// Test support: every test file gets its own namespace (so its own streams and subjects) on the
// real NATS server that `make up` resolved, and removes its streams when it ends.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import type { NatsConnection } from 'nats';
import { streamNames } from '@blotter/schemas';
import { connectNats } from './connect.ts';
import { EventStore } from './event-store.ts';
import { defaultStreamOptions, type StreamOptions } from './streams.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

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
  /** Deletes the namespace's streams and closes the connection. */
  close(): Promise<void>;
}

export async function openTestStore(overrides: Partial<StreamOptions> = {}): Promise<TestStore> {
  const namespace = overrides.namespace ?? testNamespace();
  const nc = await connectNats(infraEnv('NATS_URL'), `test-${namespace}`);
  const store = await EventStore.open(nc, { ...defaultStreamOptions(namespace), ...overrides, namespace });
  return {
    nc,
    store,
    namespace,
    close: async () => {
      await deleteNamespaceStreams(nc, namespace);
      await nc.drain();
    },
  };
}

export async function deleteNamespaceStreams(nc: NatsConnection, namespace: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const names = streamNames(namespace);
  for (const name of [
    names.events,
    names.deadLetters,
    `KV_${names.leasesBucket}`,
    `KV_${names.snapshotsBucket}`,
    `KV_${names.loginAttemptsBucket}`,
  ])
    await jsm.streams.delete(name).catch(() => false);
}
