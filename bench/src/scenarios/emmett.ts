// Peer: Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql) on the same Postgres,
// in its own fresh database, fed the very same order commits Blotter writes.
//  - appends/s: each order is a stream `order-<id>`; its first commit is appended with
//    expectedStreamVersion STREAM_DOES_NOT_EXIST and its second with expectedStreamVersion 1
//    (optimistic concurrency per stream), many appends in flight.
//  - projection events/s: an async rebuild (rebuildPostgreSQLProjections, from the beginning) of a
//    Pongo single-stream projection holding each order's state evolved with Blotter's own
//    evolveOrder: the equivalent of Blotter's orders read model, Emmett's idiomatic way.
import { type ReadEvent, STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import {
  getPostgreSQLEventStore,
  type PostgresReadEventMetadata,
  pongoSingleStreamProjection,
  rebuildPostgreSQLProjections,
} from '@event-driven-io/emmett-postgresql';
import { evolveOrder, type ExistingOrder } from '@blotter/orders';
import type { OrderEvent } from '@blotter/schemas';
import { createDatabase } from '../infra.ts';
import type { Metric, ScenarioContext } from '../report.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { loopUntil, median } from '../stats.ts';
import { makeWorkload } from '../workload.ts';

type OrderDoc = ExistingOrder & Record<string, unknown>;
const ORDER_TYPES: OrderEvent['type'][] = ['OrderPlaced', 'OrderAccepted', 'OrderFilled'];

export async function emmett(ctx: ScenarioContext): Promise<Metric[]> {
  const { rounds, progress, sizes } = ctx;
  const database = await createDatabase('emmett');
  const store = getPostgreSQLEventStore(database.url, { schema: { autoMigration: 'CreateOrUpdate' } });
  const fakeSubjects = { order: (_u: string, o: string) => `order-${o}`, account: (u: string) => `account-${u}` };
  // Enough orders for the append rounds at any plausible rate; only what is appended gets projected.
  const workload = makeWorkload(fakeSubjects, 1000, sizes.emmettOrderPool, 7);
  const appendRates: number[] = [];
  const projectionRates: number[] = [];
  let appended = 0;
  let nextOrder = 0;
  try {
    // Schema creation happens on first use: do it before timing.
    await store.appendToStream('warm-up', [{ type: 'WarmUp', data: {} }]);
    for (let r = 0; r < rounds; r++) {
      let done = 0;
      const started = performance.now();
      const deadline = started + sizes.roundSeconds * 1000;
      const ticker = setInterval(() => progress.set(`append round ${r + 1}/${rounds}: ${done} appends`), 500);
      await loopUntil(sizes.emmettInFlight, deadline, async () => {
        const o = workload.orders[nextOrder++];
        if (!o) throw new Error('the Emmett order pool is too small for this machine: raise emmettOrderPool');
        const stream = `order-${o.orderId}`;
        await store.appendToStream(stream, o.commits[0].events, { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
        await store.appendToStream(stream, o.commits[1].events, { expectedStreamVersion: 1n });
        done += 2;
      });
      clearInterval(ticker);
      // Appends that completed after the deadline still ran in the window's load: count the window.
      const seconds = (performance.now() - started) / 1000;
      const rate = done / seconds;
      appended += done;
      appendRates.push(rate);
      progress.log(`  Emmett append round ${r + 1}: ${rate.toFixed(0)} appends/s`);
    }
    const events = Math.round((appended / 2) * 3);
    for (let r = 0; r < rounds; r++) {
      // A new collection per round: a new projection (processor) that starts from the beginning.
      let projected = 0;
      const projection = pongoSingleStreamProjection<OrderDoc, OrderEvent, PostgresReadEventMetadata, OrderEvent>({
        collectionName: `orders_r${r}`,
        canHandle: ORDER_TYPES,
        evolve: (doc: OrderDoc | null, event: ReadEvent<OrderEvent, PostgresReadEventMetadata>) => {
          projected++;
          const state = evolveOrder(doc ?? { status: 'NONE' }, event, {
            seq: Number(event.metadata.globalPosition),
            occurredAt: new Date().toISOString(),
          });
          return state.status === 'NONE' ? null : (state as OrderDoc);
        },
      });
      const consumer = rebuildPostgreSQLProjections<OrderEvent>({
        connectionString: database.url,
        projections: [projection],
        // Emmett's default batch (100): a Pongo projection handles events one by one anyway, and a
        // small batch keeps the time-capped count within one batch of what was committed.
        pulling: { batchSize: 100, pullingFrequencyInMs: 0 },
      });
      const started = performance.now();
      const ticker = setInterval(() => progress.set(`projection round ${r + 1}/${rounds}: ${projected}/${events} events`), 500);
      const finished = consumer.start();
      // Up to emmettProjectionSeconds, or until every appended event is projected.
      await Promise.race([finished, sleep(sizes.emmettProjectionSeconds * 1000)]);
      const seconds = (performance.now() - started) / 1000;
      const counted = projected;
      clearInterval(ticker);
      await consumer.close();
      const rate = counted / seconds;
      projectionRates.push(rate);
      progress.log(`  Emmett projection round ${r + 1}: ${rate.toFixed(0)} events/s (${counted} events in ${seconds.toFixed(1)} s)`);
    }
  } finally {
    await store.close();
    await database.drop();
  }
  return [
    {
      id: 'emmett.append',
      label: 'Emmett PG append (OCC per stream)',
      unit: 'appends/s',
      rounds: appendRates,
      value: median(appendRates),
      detail: `${sizes.roundSeconds} s/round, order streams × 2 appends, ${sizes.emmettInFlight} in flight, pg pool 10`,
    },
    {
      id: 'emmett.projection',
      label: 'Emmett projection rebuild (Pongo orders)',
      unit: 'events/s',
      rounds: projectionRates,
      value: median(projectionRates),
      detail: `rebuildPostgreSQLProjections from position 0 over ${Math.round((appended / 2) * 3)} events, up to ${sizes.emmettProjectionSeconds} s/round, batches of 100, no pull delay`,
    },
  ];
}
