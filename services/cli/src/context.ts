// What every command gets: parsed options, connections opened on demand (and closed at the end),
// and output helpers that honour --json.
import { type AccountTables, findUserByEmail } from '@blotter/accounts';
import { defaultStreamOptions, EventStore } from '@blotter/eventstore';
import { createDbPair, type ReadModelTables } from '@blotter/read-models';
import type { Kysely } from 'kysely';
import type { NatsConnection } from 'nats';
import { settings } from './config.ts';
import { connectOnce } from './nats-connect.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Env {
  [key: string]: string | undefined;
}

export class Context {
  private nc: NatsConnection | null = null;
  private storePromise: Promise<EventStore> | null = null;
  private dbPair: ReturnType<typeof createDbPair<ReadModelTables, AccountTables>> | null = null;

  constructor(
    readonly env: Env,
    readonly out: { write(s: string): void } = process.stdout,
    readonly err: { write(s: string): void } = process.stderr,
  ) {}

  get namespace(): string {
    return settings(this.env, ['BLOTTER_NAMESPACE']).BLOTTER_NAMESPACE;
  }

  get readSchema(): string {
    return settings(this.env, ['READ_MODEL_SCHEMA']).READ_MODEL_SCHEMA;
  }

  store(): Promise<EventStore> {
    this.storePromise ??= (async () => {
      const { NATS_URL, BLOTTER_NAMESPACE, ...sizing } = settings(this.env, [
        'NATS_URL',
        'BLOTTER_NAMESPACE',
        'STREAM_PARTITIONS',
        'STREAM_REPLICAS',
      ]);
      this.nc = await connectOnce(NATS_URL);
      return EventStore.open(this.nc, defaultStreamOptions(BLOTTER_NAMESPACE, sizing));
    })();
    return this.storePromise;
  }

  /** Read models and accounts share one database (one pool, typed twice). */
  db(): Kysely<ReadModelTables> {
    return this.pair().first;
  }

  accounts(): Kysely<AccountTables> {
    return this.pair().second;
  }

  private pair() {
    this.dbPair ??= createDbPair<ReadModelTables, AccountTables>(settings(this.env, ['DATABASE_URL']).DATABASE_URL, {
      max: 4,
      name: 'blotter-cli',
    });
    return this.dbPair;
  }

  /** A user given as an email or an id. */
  async resolveUser(emailOrId: string): Promise<string> {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(emailOrId)) return emailOrId;
    const user = await findUserByEmail(this.accounts(), emailOrId);
    if (!user) throw new UsageError(`no user with email ${emailOrId}`);
    return user.id;
  }

  print(line = ''): void {
    this.out.write(`${line}\n`);
  }

  json(value: unknown): void {
    this.out.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Progress for long runs, on stderr so --json output stays clean. */
  progress(done: number, total: number, what: string): void {
    if (!process.stderr.isTTY) return;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    this.err.write(`\r${what}: ${done}/${total} (${pct}%)`);
    if (done >= total) this.err.write('\n');
  }

  async close(): Promise<void> {
    if (this.nc && !this.nc.isClosed()) await this.nc.drain();
    await this.dbPair?.destroy();
  }
}
