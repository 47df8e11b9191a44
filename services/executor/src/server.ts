// The executor process. Announces its figures on `<ns>.stats.executor` every 5 s (the gateway
// exposes them on /metrics). On SIGTERM/SIGINT it stops taking messages, finishes the orders in
// hand (or leaves them to redelivery) and closes its venue connections.
import { type AccountTables, createKeyRing, parseKey } from '@blotter/accounts';
import { connectNats, defaultInstanceId, defaultStreamOptions, EventStore, partitionChoice, scopeStats } from '@blotter/eventstore';
import { createDb } from '@blotter/read-models';
import pino from 'pino';
import { configOrExit } from '@blotter/schemas';
import { loadExecutorConfig } from './config.ts';
import { Executor } from './executor.ts';
import { binanceVenues, VenueRegistry } from './venues.ts';

const config = configOrExit('executor', () => loadExecutorConfig());
const log = pino({ name: 'executor', level: config.LOG_LEVEL, redact: ['*.apiKey', '*.apiSecret', '*.signature'] });
const nc = await connectNats(config.NATS_URL, 'blotter-executor');
const store = await EventStore.open(nc, defaultStreamOptions(config.BLOTTER_NAMESPACE, config));
// Postgres holds the users' encrypted venue keys; the executor reads no read model.
const db = createDb<AccountTables>(config.DATABASE_URL, { name: 'blotter-executor' });
const ring = createKeyRing(
  parseKey(config.KEY_ENCRYPTION_KEY, 'KEY_ENCRYPTION_KEY'),
  config.KEY_ENCRYPTION_KEY_PREVIOUS.split(',')
    .filter(Boolean)
    .map((k) => parseKey(k, 'KEY_ENCRYPTION_KEY_PREVIOUS')),
);
const venues = new VenueRegistry(
  db,
  ring,
  binanceVenues({ simUrl: config.SIM_URL, testnetUrl: config.BINANCE_TESTNET_URL, recvWindowMs: config.VENUE_RECV_WINDOW_MS }),
);
const executor = new Executor({
  store,
  venues,
  recvWindowMs: config.VENUE_RECV_WINDOW_MS,
  ...partitionChoice(config.EXECUTOR_PARTITIONS, config.INSTANCE_ID || defaultInstanceId('executor'), config.EXECUTOR_LEASE_TTL_MS),
  maxInFlight: config.EXECUTOR_MAX_IN_FLIGHT,
  ackWaitMs: config.EXECUTOR_ACK_WAIT_MS,
  pollMs: config.EXECUTOR_POLL_MS,
  reconcileMs: config.EXECUTOR_RECONCILE_MS,
  log,
});
await executor.start();

const encoder = new TextEncoder();
// With the account appends' optimistic-concurrency figures: how often the executor's fills lost a
// race to a gateway's orders on the same account (each loss is re-read and re-decided).
const announce = () => ({
  ...executor.snapshot(),
  accountAppends: scopeStats.appends,
  accountConflicts: scopeStats.conflicts,
});
const stats = setInterval(() => nc.publish(store.subjects.executorStats, encoder.encode(JSON.stringify(announce()))), 5000);
stats.unref();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping executor');
    await executor.stop();
    await venues.close();
    await nc.drain();
    await db.destroy();
    process.exit(0);
  });
}
