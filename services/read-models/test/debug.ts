import { openTestStore, createTestDatabase } from '@blotter/test-kit';
import { allReadModels, ProjectionRunner } from '../src/index.ts';
import { seedTrading } from './seed.ts';
const ctx = await openTestStore({ partitions: 2 });
const tdb = await createTestDatabase();
await seedTrading(ctx.store, 5, 12);
const log = {
  info() {},
  warn: (o: object, m?: string) => console.log('WARN', m, o),
  error: (o: object, m?: string) => console.log('ERR', m, o),
};
const r = new ProjectionRunner({
  store: ctx.store,
  db: tdb.db,
  schema: 'public',
  models: allReadModels,
  group: 'proj',
  log,
  batchSize: 50,
  ackWaitMs: 2000,
});
await r.start();
await new Promise((res) => setTimeout(res, 4000));
await r.stop();
console.log(r.partitionStats());
const rows = await tdb.db.selectFrom('orders').select(['orderId', 'tradeIds', 'status', 'version']).execute();
const bad = rows.filter((x) => new Set(x.tradeIds).size !== x.tradeIds.length);
console.log('bad', bad.length, 'of', rows.length, bad[0]);
if (bad[0]) {
  for (const c of await ctx.store.readSubject(
    ctx.store.subjects.order(
      (await tdb.db.selectFrom('orders').select('userId').where('orderId', '=', bad[0].orderId).executeTakeFirstOrThrow()).userId,
      bad[0].orderId,
    ),
  ))
    console.log(
      c.seq,
      c.events.map((e) => e.type),
    );
}
await tdb.drop();
await ctx.close();
