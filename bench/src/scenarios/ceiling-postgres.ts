// Ceiling of Postgres for what a projection batch must do at least: one transaction holding one
// multi-row INSERT ... ON CONFLICT DO UPDATE of already folded rows (the orders table of the read
// models, all its columns and indexes) and the checkpoint UPDATE. Plain `pg`, one connection,
// batches one after the other (as one partition of the runner, or a rebuild, does). Each batch
// overlaps the previous one by half: 250 rows are updates, 250 are new orders.
import { evolveOrder, type ExistingOrder, initialOrderState } from '@blotter/orders';
import type { OrderEvent } from '@blotter/schemas';
import pg from 'pg';
import { uuidv7 } from '@blotter/eventstore';
import { createReadModelDatabase } from '../infra.ts';
import type { Metric, ScenarioContext } from '../report.ts';
import { median } from '../stats.ts';
import { makeWorkload } from '../workload.ts';

const snake = (s: string) => s.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

/** A filled order's row, exactly as the orders read model stores it. */
function templateRow(): ExistingOrder {
  const order = makeWorkload({ order: () => 'x.y', account: () => 'x.a' }, 1, 1).orders[0];
  if (!order) throw new Error('no workload order');
  let state = initialOrderState();
  let seq = 1;
  for (const c of order.commits)
    for (const e of c.events) state = evolveOrder(state, e as OrderEvent, { seq: seq++, occurredAt: c.occurredAt });
  if (state.status === 'NONE') throw new Error('template order not placed');
  return state;
}

export async function ceilingPostgres(ctx: ScenarioContext): Promise<Metric[]> {
  const { rounds, sizes, progress } = ctx;
  const database = await createReadModelDatabase('pgceil', 1);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const template = templateRow();
  const fields = Object.keys(template) as (keyof ExistingOrder)[];
  const columns = fields.map(snake);
  const half = sizes.batchSize / 2;
  const placeholders = Array.from(
    { length: sizes.batchSize },
    (_, r) => `(${fields.map((_, c) => `$${r * fields.length + c + 1}`).join(',')})`,
  ).join(',');
  const upsert = `insert into orders (${columns.join(',')}) values ${placeholders} on conflict (order_id) do update set ${columns
    .filter((c) => c !== 'order_id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')}`;
  const checkpoint = "update projection_checkpoints set seq = $1, updated_at = now() where projection = 'orders' and partition = 0";
  const rates: number[] = [];
  let rows = 0;
  try {
    await client.query(
      "insert into projection_checkpoints (projection, partition, seq, updated_at) values ('orders', 0, 0, now()) on conflict do nothing",
    );
    const userIds = Array.from({ length: 100 }, () => uuidv7());
    let seq = 0;
    for (let r = 0; r < rounds; r++) {
      // Batch b writes order ids [b*half, b*half + batchSize): half of them the previous batch wrote.
      // Parameters are built before timing: the ceiling is the database's, not the JavaScript's.
      const ids: string[] = [];
      const params = (b: number) => {
        while (ids.length < (b + 2) * half) ids.push(uuidv7());
        const values: unknown[] = [];
        for (let i = 0; i < sizes.batchSize; i++) {
          const row = { ...template, orderId: ids[b * half + i], userId: userIds[(b * half + i) % 100], version: ++seq };
          for (const f of fields) values.push(row[f]);
        }
        return values;
      };
      let next = params(0);
      let batches = 0;
      let excluded = 0;
      const started = performance.now();
      const deadline = started + sizes.roundSeconds * 1000;
      while (performance.now() < deadline) {
        await client.query('begin');
        await client.query(upsert, next);
        await client.query(checkpoint, [seq]);
        await client.query('commit');
        batches++;
        // Building the next batch's parameters is not Postgres time: it is left out of the clock.
        const pause = performance.now();
        next = params(batches);
        excluded += performance.now() - pause;
        if (batches % 10 === 0) progress.set(`round ${r + 1}/${rounds}: ${batches} batches`);
      }
      const seconds = (performance.now() - started - excluded) / 1000;
      const rate = (batches * sizes.batchSize) / seconds;
      rows += batches * sizes.batchSize;
      rates.push(rate);
      progress.log(`  postgres round ${r + 1}: ${rate.toFixed(0)} rows/s`);
    }
  } finally {
    await client.end();
    await database.drop();
  }
  return [
    {
      id: 'ceiling.postgres',
      label: 'Postgres folded upsert + checkpoint, 1 tx/batch',
      unit: 'rows/s',
      rounds: rates,
      value: median(rates),
      detail: `${sizes.roundSeconds} s/round, batches of ${sizes.batchSize} order rows (half updates), one connection, ${rows} rows in all`,
    },
  ];
}
