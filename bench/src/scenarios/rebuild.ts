// 3c. Rebuilding every read model from the stream. The namespace's stream is filled first with the
// shared order workload through Blotter's own EventStore.append; the first part of that filling is
// timed as row 3a′ (library-level OCC appends/s of the same commits Emmett appends, at the same
// concurrency, for the same round length). Then, each round, a fresh database is built from
// sequence 1 by a ProjectionRunner — the projector's own code: one durable consumer per partition,
// batches of up to 500 commits applied in one transaction with their checkpoints — until every
// partition has applied its last commit. Row 3c″ then does the same with the production projector
// process, twice over: two processes, each on half of the partitions (how a rebuild grows past one
// core).
import { allReadModels, ProjectionRunner, type ReadModelTables, readCheckpoints } from '@blotter/read-models';
import type { Kysely } from 'kysely';
import { createReadModelDatabase, infraEnv, openBenchStore } from '../infra.ts';
import { type CpuProfile, startProfiling } from '../profile.ts';
import { appendOrder, type PartitionHeads, prefill } from '../prefill.ts';
import type { Metric, ScenarioContext } from '../report.ts';
import { spawnService } from '../stack.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { loopUntil, median } from '../stats.ts';
import { makeWorkload, type WorkOrder } from '../workload.ts';

/** The scale-out row's two projector processes: even and odd partitions. */
const halves = (partitions: number) =>
  [0, 1].map((k) =>
    Array.from({ length: partitions }, (_, p) => p)
      .filter((p) => p % 2 === k)
      .join(','),
  );

export async function rebuild(ctx: ScenarioContext, options: { profile?: (p: CpuProfile) => void } = {}): Promise<Metric[]> {
  const { sizes, progress } = ctx;
  // Profiled: one round, the profiler running during the rebuild only (not while filling).
  const rounds = options.profile ? 1 : ctx.rounds;
  const bench = await openBenchStore('brb');
  const { store } = bench;
  const users = 1000;
  const orderCount = Math.ceil((sizes.rebuildEvents - users) / 3);
  const appendRates: number[] = [];
  const rebuildRates: number[] = [];
  const scaleOutRates: number[] = [];
  const heads: PartitionHeads = new Map();
  let events = 0;
  let commits = 0;
  try {
    progress.set('generating the workload with the decider');
    const workload = makeWorkload(store.subjects, users, orderCount, 11);
    events = workload.events;
    commits = workload.accounts.length + workload.orders.length * 2;
    await prefill(store, { accounts: workload.accounts, orders: [] }, heads, () => {});
    // At most half of the orders go to the timed rounds; a round ends early if its share runs out.
    // What a round did not get to is appended by the next round or by the untimed filling below:
    // every order of the workload ends up in the stream (checked below).
    const share = Math.floor(workload.orders.length / 2 / rounds);
    let next = 0;
    for (let r = 0; r < rounds; r++) {
      let done = 0;
      const end = next + share;
      const started = performance.now();
      const ticker = setInterval(() => progress.set(`EventStore.append round ${r + 1}/${rounds}: ${done} appends`), 500);
      await loopUntil(sizes.emmettInFlight, started + sizes.roundSeconds * 1000, async () => {
        if (next >= end) return false;
        await appendOrder(store, workload.orders[next++] as WorkOrder, heads);
        done += 2;
      });
      clearInterval(ticker);
      const rate = done / ((performance.now() - started) / 1000);
      appendRates.push(rate);
      progress.log(`  EventStore.append round ${r + 1}: ${rate.toFixed(0)} appends/s`);
    }
    const rest = workload.orders.slice(next);
    const t0 = performance.now();
    await prefill(
      store,
      { accounts: [], orders: rest },
      heads,
      (d) => progress.set(`filling the stream: ${d}/${rest.length * 2} commits`),
      512,
    );
    // Every commit must be in the stream once (a skipped or deduplicated append would make the
    // rebuild's event count, and so its rate, wrong).
    const stored = (await store.jsm.streams.info(store.streams.events)).state.messages;
    if (stored !== commits) throw new Error(`the stream holds ${stored} messages, ${commits} commits were appended`);
    progress.log(
      `  stream filled: ${events} events in ${commits} commits (untimed rest: ${((rest.length * 2) / ((performance.now() - t0) / 1000)).toFixed(0)} commits/s, 512 in flight)`,
    );
    for (let r = 0; r < rounds; r++) {
      const database = await createReadModelDatabase('rebuild', 10);
      let warnings = 0;
      const runner = new ProjectionRunner({
        store,
        db: database.db,
        schema: 'public',
        models: allReadModels,
        group: `rebuild${r}`,
        batchSize: sizes.batchSize,
        // Retries and dead letters would make the figure meaningless: show the first few.
        log: {
          info() {},
          warn: (o, m) => {
            if (++warnings <= 5) progress.log(`  runner warning: ${m ?? ''} ${JSON.stringify(o).slice(0, 200)}`);
          },
          error: (o, m) => {
            if (++warnings <= 5) progress.log(`  runner error: ${m ?? ''} ${JSON.stringify(o).slice(0, 200)}`);
          },
        },
      });
      try {
        const stopProfiling = options.profile ? await startProfiling() : null;
        const started = performance.now();
        await runner.start();
        await caughtUp(database.db, store.partitions, heads, (text) => progress.set(`round ${r + 1}/${rounds}: ${text}`));
        const seconds = (performance.now() - started) / 1000;
        if (stopProfiling) options.profile?.(await stopProfiling());
        rebuildRates.push(events / seconds);
        const stats = runner.partitionStats();
        progress.log(
          `  rebuild round ${r + 1}: ${(events / seconds).toFixed(0)} events/s, ${events} events in ${seconds.toFixed(1)} s (${stats.reduce((a, p) => a + p.batches, 0)} batches)`,
        );
      } finally {
        await runner.stop();
        await database.drop();
        for (let p = 0; p < store.partitions; p++)
          await store.jsm.consumers.delete(store.streams.events, runner.consumerName(p)).catch(() => {});
      }
    }
    // 3c″: the production projector (services/read-models/src/server.ts), as two processes that
    // share the partitions, which is how a rebuild grows past one core. Not profiled.
    if (!options.profile) {
      for (let r = 0; r < rounds; r++) {
        const database = await createReadModelDatabase('rebuild2', 2);
        const stops: (() => Promise<void>)[] = [];
        try {
          const started = performance.now();
          const spawned = await Promise.allSettled(
            halves(store.partitions).map((partitions, i) =>
              spawnService('projector', `bench-projector-${i}`, {
                NATS_URL: infraEnv('NATS_URL'),
                DATABASE_URL: database.url,
                BLOTTER_NAMESPACE: bench.namespace,
                PROJECTOR_PARTITIONS: partitions,
                INSTANCE_ID: `bench-projector-${i}`,
                PROJECTOR_BATCH_SIZE: String(sizes.batchSize),
                LOG_LEVEL: 'info',
              }),
            ),
          );
          for (const s of spawned) if (s.status === 'fulfilled') stops.push(s.value);
          for (const s of spawned) if (s.status === 'rejected') throw s.reason;
          await caughtUp(database.db, store.partitions, heads, (text) => progress.set(`2 processes, round ${r + 1}/${rounds}: ${text}`));
          const seconds = (performance.now() - started) / 1000;
          scaleOutRates.push(events / seconds);
          progress.log(
            `  rebuild by 2 projector processes, round ${r + 1}: ${(events / seconds).toFixed(0)} events/s in ${seconds.toFixed(1)} s`,
          );
        } finally {
          await Promise.all(stops.map((stop) => stop()));
          await database.drop();
          for (let p = 0; p < store.partitions; p++)
            await store.jsm.consumers.delete(store.streams.events, `projector-p${p}`).catch(() => {});
        }
      }
    }
  } finally {
    await bench.close();
  }
  const rate = median(rebuildRates);
  const minutesFor1M = 1_000_000 / rate / 60;
  return [
    {
      id: 'blotter.append',
      label: 'Blotter EventStore.append (library, OCC)',
      unit: 'appends/s',
      rounds: appendRates,
      value: median(appendRates),
      detail: `${sizes.roundSeconds} s/round, order aggregates × 2 commits, ${sizes.emmettInFlight} in flight, same commits as Emmett`,
    },
    {
      id: 'blotter.rebuild',
      label: `Rebuild 4 read models from seq 1 (${Math.round(events / 1000)}k events)`,
      unit: 'events/s',
      rounds: rebuildRates,
      value: rate,
      detail: `ProjectionRunner, ${store.partitions} partitions, batches of ${sizes.batchSize}; measured on ${events} events (${commits} commits) each round; 1M events ≈ ${minutesFor1M.toFixed(1)} min (extrapolated from the median)`,
      extra: { events, commits, secondsFor1M: minutesFor1M * 60 },
    },
    ...(scaleOutRates.length === 0
      ? []
      : [
          {
            id: 'blotter.rebuild.scaleout',
            label: 'Rebuild, 2 projector processes (2 partitions each)',
            unit: 'events/s',
            rounds: scaleOutRates,
            value: median(scaleOutRates),
            detail: `the production projector (read-models/src/server.ts, change notices on) × 2, PROJECTOR_PARTITIONS ${halves(store.partitions).join(' and ')}; timed from spawning them (their ~2 s start-up included) until every checkpoint reached the stream's end; same ${events} events`,
          } satisfies Metric,
        ]),
  ];
}

/**
 * Resolves when every read model's committed checkpoint of every partition reached that
 * partition's last sequence. (A runner's in-memory partitionStats().lastSeq is the last sequence of
 * the last batch in delivery order: a redelivered message can set it back, so it is not a reliable
 * end marker.) Fails when nothing moved for 120 s.
 */
async function caughtUp(db: Kysely<ReadModelTables>, partitionCount: number, heads: PartitionHeads, show: (text: string) => void) {
  const partitions = Array.from({ length: partitionCount }, (_, p) => p);
  const of = partitions.map((p) => heads.get(p) ?? 0).join(', ');
  let lastApplied = -1;
  let lastMove = performance.now();
  for (;;) {
    const rows = await readCheckpoints(db, 'public');
    const at = new Map<number, number>();
    for (const c of rows) at.set(c.partition, Math.min(at.get(c.partition) ?? Number.POSITIVE_INFINITY, Number(c.seq)));
    const reached = partitions.map((p) => Math.min(at.get(p) ?? 0, heads.get(p) ?? 0));
    if (partitions.every((p) => (at.get(p) ?? 0) >= (heads.get(p) ?? 0))) return;
    const applied = reached.reduce((a, b) => a + b, 0);
    if (applied !== lastApplied) {
      lastApplied = applied;
      lastMove = performance.now();
    } else if (performance.now() - lastMove > 120_000) {
      throw new Error(`rebuild stalled: checkpoints ${reached.join(', ')} of ${of}`);
    }
    show(`checkpoints ${reached.join(', ')} of ${of}`);
    await sleep(50);
  }
}
