// The launcher as `make dev` runs Blotter: every piece a process (simulator, market feed, projector,
// executor, two gateways), any one restarted on request, all stopped at the end; and the namespace's
// streams and KV buckets removed.
import t from 'tap';
import { call } from '../src/clients.ts';
import { uniqueEmail } from '../src/fixtures.ts';
import { deleteNamespace, openTestStore } from '../src/infra.ts';
import { eventually } from '../src/procs.ts';
import { startStack } from '../src/stack.ts';

t.test('a namespace is removed with its streams and every KV bucket', async (t) => {
  const ctx = await openTestStore();
  t.teardown(() => ctx.close());
  const js = ctx.nc.jetstream();
  const ns = ctx.namespace.toUpperCase();
  for (const bucket of ['SNAPSHOTS', 'LOGIN_ATTEMPTS', 'LEASES']) await js.views.kv(`${ns}_${bucket}`);
  const names = async () => {
    const all: string[] = [];
    for await (const n of ctx.store.jsm.streams.names()) if (n.includes(ns)) all.push(n);
    return all.sort();
  };
  t.same(await names(), [`${ns}_DLQ`, `${ns}_EVENTS`, `KV_${ns}_LEASES`, `KV_${ns}_LOGIN_ATTEMPTS`, `KV_${ns}_SNAPSHOTS`].sort());
  await deleteNamespace(ctx.nc, ctx.namespace);
  t.same(await names(), [], 'nothing of the namespace is left');
});

t.test('every piece as a process; restart on request; all stopped', async (t) => {
  const stack = await startStack(null, { processes: true, gateways: 2 });
  t.teardown(() => stack.stop());
  t.same([...stack.procs.keys()].sort(), ['executor', 'gateway-a', 'gateway-b', 'market', 'projector', 'sim']);
  for (const url of stack.gatewayUrls) t.equal((await fetch(`${url}/readyz`)).status, 200, `${url} is ready`);
  // A trader registered on one gateway is served by the other; the market feed process publishes
  // the simulator process's prices.
  const registered = await call<{ token: string }>(stack.gatewayUrls[0] ?? '', 'POST', '/api/auth/register', {
    body: { email: uniqueEmail('kit'), password: 'correct horse battery' },
  });
  t.equal(registered.status, 201, 'registered on gateway-a');
  const ticker = await eventually(
    async () => {
      const res = await call<{ price: string }>(stack.gatewayUrls[1] ?? '', 'GET', '/api/market/BTCUSDT/ticker', {
        token: registered.body.token,
      });
      return res.status === 200 ? res.body : undefined;
    },
    60_000,
    'a BTCUSDT ticker',
  );
  t.match(ticker.price, /^\d+(\.\d+)?$/);

  for (const name of ['sim', 'gateway-b']) {
    const before = stack.proc(name).pid;
    const ms = await stack.restart(name);
    t.not(stack.proc(name).pid, before, `${name} restarted in ${ms} ms`);
  }
  t.equal((await fetch(`${stack.gatewayUrls[1]}/readyz`)).status, 200, 'the restarted gateway serves');
  t.equal((await fetch(`${stack.simUrl}/api/v3/ping`)).status, 200, 'the restarted simulator serves');

  await stack.stop();
  for (const p of stack.procs.values()) t.notOk(p.running, `${p.name} stopped`);
});
