// Graceful shutdown (SIGTERM), with the real processes:
//  1. a gateway with requests in flight (held inside the append by pausing NATS with SIGSTOP):
//     they complete with 201, no connection is reset, the process exits 0; requests that arrive
//     after the SIGTERM are refused cleanly (503 or connection refused) and nothing is half-done;
//  2. the executor with orders in hand at the venue (the venue answers 3 s late): it finishes them
//     or leaves them to redelivery; after a restart every order is executed once, every fill
//     recorded once;
//  3. the projector under load, and the projector while its database is unreachable (a batch
//     being retried): it exits, and after a restart nothing is lost nor applied twice;
//  4. a rolling restart of the two gateways (SIGTERM, restart, wait ready; then the other) under a
//     steady load: no accepted order is lost, no accepted request is reset.
import t from 'tap';
import { Cluster, type User } from '../src/cluster.ts';
import { fmtCounts } from '../src/crash.ts';
import { attempt, call } from '../src/http.ts';
import { LoadClient } from '../src/load.ts';
import { sleep, eventually } from '@blotter/test-kit';
import { saveSummary, table } from '../src/report.ts';

// A gateway given SIGTERM while requests are in flight answers them all and exits 0 promptly: the
// keep-alive connections of those requests become idle only after app.close() began (Node's
// server.close() closes idle connections once, at the call), so the gateway keeps closing idle
// ones while it drains; before that fix they held it until the 15 s force-exit (exit 1).

t.setTimeout(290_000);
const t0 = Date.now();
const c = await Cluster.start({ projectorProxy: true });
let keepLogs = false;
t.teardown(() => c.close({ keepLogs: keepLogs || !t.passing() }));
const users = await c.registerUsers(3, 'shut');
const [gwA, gwB] = c.gatewayUrls as [string, string];
const [gatewayA, gatewayB] = c.gateways;
const proxy = c.projectorProxy;
if (!gatewayA || !gatewayB || !proxy) throw new Error('cluster incomplete');
const figures: [string, string][] = [['boot + users', `${((Date.now() - t0) / 1000).toFixed(1)} s`]];
const userOf = (i: number) => users[i % users.length] as User;
const market = (coid: string, quantity = '0.0003') => ({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity, clientOrderId: coid });
const streamTypes = async (u: User, orderId: string) =>
  (await c.store.readSubject(c.store.subjects.order(u.userId, orderId))).flatMap((x) => x.events.map((e) => e.type));
const projected = async (ids: string[]) =>
  (await c.db.selectFrom('orders').select('orderId').where('orderId', 'in', ids).execute()).length === ids.length;

// Warm-up through both gateways: market data cached in each, venue clients open in the executor.
// (No assertion at the top level: tap would end the root test while we await.)
for (const [i, gw] of [gwA, gwB, gwA].entries()) {
  const r = await call(gw, 'POST', '/api/orders', userOf(i).token, market(`warm-${i}`));
  if (r.status !== 201) throw new Error(`warm-up order: ${r.status} ${JSON.stringify(r.json)}`);
}
await eventually(async () => (await c.totalLag('projector')) === 0 && (await c.totalLag('executor')) === 0, 60_000, 'warm-up processed');

t.test('1. SIGTERM to a gateway with requests in flight: they complete', async (t) => {
  c.nats.freeze(true); // appends now wait inside the gateway
  const inflight = Array.from({ length: 12 }, (_, i) => attempt(gwA, 'POST', '/api/orders', userOf(i).token, market(`inflight-${i}`)));
  await sleep(800);
  const stopping = gatewayA.stop('SIGTERM', 30_000);
  await sleep(300);
  const late = Array.from({ length: 4 }, (_, i) => attempt(gwA, 'POST', '/api/orders', userOf(i).token, market(`late-${i}`)));
  await sleep(700);
  c.nats.freeze(false);
  const answers = await Promise.all(inflight);
  const exit = await stopping;
  const lateAnswers = await Promise.all(late);
  const outcome = (a: Awaited<(typeof inflight)[number]>) => ('error' in a ? a.error : a.status);
  t.same(
    answers.map(outcome),
    answers.map(() => 201),
    'every request in flight at the SIGTERM completed with 201 (no reset)',
  );
  t.equal(exit.code, 0, `the gateway exited 0 after ${exit.ms} ms`);
  for (const [i, a] of answers.entries()) {
    if ('error' in a || !a.json.order) continue;
    t.ok((await streamTypes(userOf(i), a.json.order.orderId)).includes('OrderPlaced'), `in-flight order ${i} is in the stream`);
  }
  const lateOutcomes = lateAnswers.map(outcome);
  t.ok(
    lateOutcomes.every((o) => o === 503 || o === 'ECONNREFUSED' || o === 201),
    `requests after the SIGTERM are refused cleanly (${lateOutcomes.join(', ')})`,
  );
  for (const [i, a] of lateAnswers.entries())
    if (!('error' in a) && a.status === 201 && a.json.order)
      t.ok((await streamTypes(userOf(i), a.json.order.orderId)).includes('OrderPlaced'));
  const readyMs = await c.restart(gatewayA);
  figures.push([
    '1. gateway SIGTERM in flight',
    `${answers.filter((a) => outcome(a) === 201).length}/12 in-flight requests answered 201 (NATS paused 1.8 s around the SIGTERM); exit ${exit.code} after ${exit.ms} ms; late requests: ${lateOutcomes.join(', ')}; back in ${(readyMs / 1000).toFixed(1)} s`,
  ]);
});

t.test('2. SIGTERM to the executor with orders in hand at the venue', async (t) => {
  await c.sim.admin.injectFault({ kind: 'delay', ms: 3000, count: 4, path: '/api/v3/order', method: 'POST' });
  const orders: { u: User; id: string }[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await call(gwB, 'POST', '/api/orders', userOf(i).token, market(`exec-${i}`));
    t.equal(r.status, 201);
    if (r.json.order) orders.push({ u: userOf(i), id: r.json.order.orderId });
  }
  await eventually(
    async () => {
      for (const o of orders) if ((await c.sim.admin.orders(o.u.apiKey, { clientOrderId: o.id })).length !== 1) return false;
      return true;
    },
    20_000,
    'the venue to book the orders (the executor now waits for the delayed answers)',
  );
  const exit = await c.executor.stop('SIGTERM', 30_000);
  t.equal(exit.code, 0, `the executor exited 0 after ${exit.ms} ms`);
  const recordedBeforeExit = (await Promise.all(orders.map((o) => streamTypes(o.u, o.id)))).filter((types) =>
    types.includes('OrderFilled'),
  ).length;
  // Two more while no executor runs: they wait in the stream.
  for (let i = 4; i < 6; i++) {
    const r = await call(gwA, 'POST', '/api/orders', userOf(i).token, market(`exec-${i}`));
    t.equal(r.status, 201);
    if (r.json.order) orders.push({ u: userOf(i), id: r.json.order.orderId });
  }
  const readyMs = await c.restart(c.executor);
  await eventually(
    async () => (await Promise.all(orders.map((o) => streamTypes(o.u, o.id)))).every((types) => types.includes('OrderFilled')),
    60_000,
    'every order filled after the restart',
  );
  for (const o of orders) {
    const atVenue = await c.sim.admin.orders(o.u.apiKey, { clientOrderId: o.id });
    t.equal(atVenue.length, 1, `one venue order for ${o.id}`);
    const account = c.sim.simulator.accounts.find(o.u.apiKey);
    const venueFills = account?.trades.filter((x) => atVenue[0] && x.symbol === 'BTCUSDT' && x.orderId === atVenue[0].orderId).length ?? -1;
    const booked = (await streamTypes(o.u, o.id)).filter((x) => x === 'OrderFilled').length;
    t.equal(booked, venueFills, `every fill of ${o.id} recorded once (${booked})`);
  }
  figures.push([
    '2. executor SIGTERM mid-order',
    `exit ${exit.code} after ${exit.ms} ms; ${recordedBeforeExit}/4 orders in hand finished before exiting, the rest redelivered; all 6 filled once after a restart (${(readyMs / 1000).toFixed(1)} s)`,
  ]);
});

t.test('3. SIGTERM to the projector mid-work', async (t) => {
  // a) under load.
  const load = new LoadClient({
    users,
    gatewayUrls: c.gatewayUrls,
    orders: 60,
    ratePerSecond: 10,
    seed: 3,
    runId: `shut3-${c.namespace}`,
    price: (s) => Number(c.sim.simulator.market.price(s, c.sim.simulator.now()).toString()),
  });
  const running = load.run();
  await sleep(3000);
  const exitA = await c.projector.stop('SIGTERM', 30_000);
  t.equal(exitA.code, 0, `the projector exited 0 after ${exitA.ms} ms of SIGTERM under load`);
  await sleep(1000);
  const readyA = await c.restart(c.projector);
  await running;
  const ids = load.accepted().map((p) => p.orderId as string);
  await eventually(() => projected(ids), 90_000, 'the accepted orders to be projected');
  const verifyA = await (await import('@blotter/read-models')).verifyReadModels(c.store, c.db, 'public');

  // b) while its database is unreachable: a batch is being retried when the SIGTERM comes.
  await proxy.cut();
  const cutAt = Date.now();
  const during: string[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await call(gwA, 'POST', '/api/orders', userOf(i).token, market(`proj-cut-${i}`));
    if (r.json.order) during.push(r.json.order.orderId);
  }
  await eventually(
    () => c.projector.events.some((e) => e.at >= cutAt && e.msg === 'read-model database unavailable; retrying batch'),
    30_000,
    'the projector to retry a batch',
  );
  const exitB = await c.projector.stop('SIGTERM', 30_000);
  t.equal(exitB.code, 0, `the projector exited 0 after ${exitB.ms} ms of SIGTERM while retrying`);
  await proxy.restore();
  const readyB = await c.restart(c.projector);
  const after: string[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await call(gwB, 'POST', '/api/orders', userOf(i).token, market(`proj-after-${i}`));
    if (r.json.order) after.push(r.json.order.orderId);
  }
  await eventually(() => projected(after), 60_000, 'the orders placed after the restart to be projected');
  const verifyB = await (await import('@blotter/read-models')).verifyReadModels(c.store, c.db, 'public');
  const missing = (await c.db.selectFrom('orders').select('orderId').where('orderId', 'in', during).execute()).length;
  t.test('read models after the SIGTERMs', async (t) => {
    t.ok(verifyA.ok, `after a SIGTERM under load: verifyReadModels clean (${verifyA.differences.length} differences)`);
    t.equal(missing, during.length, 'the orders whose batch was being retried at the SIGTERM are applied before the newer ones');
    t.ok(verifyB.ok, `after a SIGTERM while retrying: verifyReadModels clean (${verifyB.differences.length} differences)`);
  });
  if (!verifyA.ok || !verifyB.ok) keepLogs = true;
  figures.push(
    [
      '3a. projector SIGTERM under load',
      `exit ${exitA.code} after ${exitA.ms} ms; restarted in ${(readyA / 1000).toFixed(1)} s; ${ids.length} orders accepted meanwhile; verify ${verifyA.ok ? 'clean' : `NOT CLEAN (${verifyA.differences.length} differences)`}`,
    ],
    [
      '3b. projector SIGTERM while retrying',
      `exit ${exitB.code} after ${exitB.ms} ms; restarted in ${(readyB / 1000).toFixed(1)} s; ${missing}/${during.length} orders of the abandoned batch in the read models once newer ones were applied; verify ${verifyB.ok ? 'clean' : `NOT CLEAN (${verifyB.differences.length} differences)`}`,
    ],
  );
});

t.test('4. rolling restart of the gateways under a steady load', async (t) => {
  let rolled = false;
  const load = new LoadClient({
    users,
    gatewayUrls: c.gatewayUrls,
    orders: 10_000,
    ratePerSecond: 8,
    cancelShare: 0.1,
    seed: 4,
    runId: `roll-${c.namespace}`,
    price: (s) => Number(c.sim.simulator.market.price(s, c.sim.simulator.now()).toString()),
    stop: () => rolled,
  });
  const steps: string[] = [];
  const exits: (number | null)[] = [];
  const rolling = (async () => {
    await sleep(3000);
    for (const g of c.gateways) {
      const exit = await g.stop('SIGTERM', 30_000);
      exits.push(exit.code);
      g.start();
      const readyMs = await g.waitReady(90_000);
      steps.push(`${g.name}: exit ${exit.code} after ${exit.ms} ms, ready again in ${(readyMs / 1000).toFixed(1)} s`);
      await sleep(1500);
    }
    rolled = true;
  })();
  const [stats] = await Promise.all([load.run(), rolling]);
  const accepted = load.accepted();
  let lost = 0;
  for (const p of accepted)
    if ((await c.store.readSubject(c.store.subjects.order(p.user.userId, p.orderId as string))).length === 0) lost++;
  // A reset on a request the gateway had accepted shows as a later 200 (the retry found the order).
  const resetThenFound = load.placed.filter(
    (p) => p.status === 200 && p.attempts.some((a) => a.outcome === 'UND_ERR_SOCKET' || a.outcome === 'ECONNRESET'),
  ).length;
  t.same(exits, [0, 0], 'both gateways exited 0');
  t.equal(stats.unanswered, 0, 'every request answered');
  t.equal(lost, 0, `no accepted order lost (${accepted.length} accepted)`);
  t.equal(resetThenFound, 0, 'no accepted request was reset');
  figures.push(
    ['4. rolling restart', steps.join('; ')],
    [
      '4. load meanwhile',
      `${stats.placements} placements + ${stats.cancels} cancels at 8/s: ${fmtCounts(stats.placeStatus)}; attempts retried: ${fmtCounts(stats.retries)}; lost ${lost}; accepted-then-reset ${resetThenFound}`,
    ],
  );
});

t.teardown(() => {
  figures.push(['elapsed', `${((Date.now() - t0) / 1000).toFixed(1)} s`]);
  const summary = table('graceful shutdown', figures);
  process.stderr.write(`${summary}\n`);
  saveSummary('shutdown', summary);
});
