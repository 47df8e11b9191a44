// The projector process: builds every read model from the event stream and announces each change
// on NATS for the gateways' live updates. Stops gracefully on SIGTERM/SIGINT: the batch in flight
// commits (or is left unacked for redelivery), then connections close.
import { connectNats, defaultInstanceId, defaultStreamOptions, EventStore, partitionChoice } from '@blotter/eventstore';
import pino from 'pino';
import { configOrExit } from '@blotter/schemas';
import { loadProjectorConfig } from './config.ts';
import { createDb } from './db.ts';
import { migrateReadModels } from './migrations.ts';
import { allReadModels } from './models.ts';
import { changeAnnouncer } from './runner/announce.ts';
import { ProjectionRunner } from './runner/runner.ts';
import { StreamMismatchError } from './stream-identity.ts';

const config = configOrExit('projector', () => loadProjectorConfig());
const log = pino({ name: 'projector', level: config.LOG_LEVEL });
const nc = await connectNats(config.NATS_URL, 'blotter-projector');
const store = await EventStore.open(nc, defaultStreamOptions(config.BLOTTER_NAMESPACE, config));
const db = createDb(config.DATABASE_URL, { name: 'blotter-projector' });
await migrateReadModels(db, config.READ_MODEL_SCHEMA);

const runner = new ProjectionRunner({
  store,
  db,
  schema: config.READ_MODEL_SCHEMA,
  models: allReadModels,
  group: 'projector',
  ...partitionChoice(config.PROJECTOR_PARTITIONS, config.INSTANCE_ID || defaultInstanceId('projector'), config.PROJECTOR_LEASE_TTL_MS),
  batchSize: config.PROJECTOR_BATCH_SIZE,
  ackWaitMs: config.PROJECTOR_ACK_WAIT_MS,
  log,
  onChanges: changeAnnouncer(nc, config.BLOTTER_NAMESPACE),
  onFatal: (err) => void refuse(err),
});

/** Read models of another stream: one line saying what to run, and no projecting. */
async function refuse(err: StreamMismatchError): Promise<never> {
  process.stderr.write(`projector: ${err.message}\n`);
  await nc.close().catch(() => {});
  await db.destroy().catch(() => {});
  process.exit(1);
}

try {
  await runner.start();
} catch (err) {
  if (!(err instanceof StreamMismatchError)) throw err;
  await refuse(err);
}

const statsTimer = setInterval(() => log.info({ partitions: runner.partitionStats() }, 'projection stats'), 30_000);
statsTimer.unref();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping projector');
    await runner.stop();
    await nc.drain();
    await db.destroy();
    process.exit(0);
  });
}
