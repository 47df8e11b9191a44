// Binance testnet accounts trade (issue 18, defect 7): the venue's balances reach Blotter as
// events. The simulator stands in for the testnet (BINANCE_TESTNET_URL); the executor is a process
// of the stack so it can be stopped while the venue changes.
import t from 'tap';
import { dec } from '@blotter/orders';
import { as, eventually, register, type Session, startStack } from '@blotter/test-kit';

const stack = await startStack(t, { executor: 'process' });
const { app, sim } = stack;
const executor = stack.proc('executor');

interface Row {
  asset: string;
  free: string;
  locked: string;
}
const balancesOf = async (s: Session): Promise<Record<string, Row>> => {
  const rows: Row[] = (await as(app, s)({ method: 'GET', url: '/api/balances' })).json().balances;
  return Object.fromEntries(rows.map((r) => [r.asset, r]));
};
const totalOf = (r: Row | undefined) => (r ? dec(r.free).plus(r.locked).toFixed() : '0');
const venueTotal = async (apiKey: string, asset: string) => {
  const row = (await sim.admin.balances(apiKey)).find((b) => b.asset === asset);
  return row ? dec(row.free).plus(row.locked).toFixed() : '0';
};
/** Waits until Blotter's balance of `asset` (free + locked) equals the venue's. */
const converged = (s: Session, apiKey: string, asset: string, what: string) =>
  eventually(
    async () => {
      const [mine, venue] = [totalOf((await balancesOf(s))[asset]), await venueTotal(apiKey, asset)];
      return mine === venue ? mine : undefined;
    },
    30_000,
    what,
  );

await sim.admin.pinPrice('BTCUSDT', '60000');
t.teardown(() => sim.admin.unpinPrice('BTCUSDT'));

t.test('keys the venue refuses: 422 with a JSON reason, nothing stored', async (t) => {
  const s = await register(app);
  const api = as(app, s);
  const res = await api({
    method: 'PUT',
    url: '/api/me/venue-keys',
    payload: { venue: 'binance-testnet', apiKey: 'unknownKey123', apiSecret: 'unknownSecret123' },
  });
  t.equal(res.statusCode, 422);
  t.equal(res.json().error.code, 'VENUE_KEYS_REJECTED');
  t.equal((await api({ method: 'GET', url: '/api/me' })).json().venue.kind, 'paper', 'still on paper');
  const events = (await stack.store.readSubject(stack.store.subjects.account(s.userId))).flatMap((c) => c.events.map((e) => e.type));
  t.notOk(events.includes('VenueKeysStored'), 'no keys event');
});

t.test(
  'a funded testnet account: balances on storing keys, a LIMIT BUY fills, deposits and withdrawals follow, a restart converges, a shortfall never shows below zero',
  async (t) => {
    const venue = await sim.admin.createAccount({ USDT: '5000', BTC: '0.1' });
    const s = await register(app);
    const api = as(app, s);
    const put = await api({
      method: 'PUT',
      url: '/api/me/venue-keys',
      payload: { venue: 'binance-testnet', apiKey: venue.apiKey, apiSecret: venue.apiSecret },
    });
    t.equal(put.statusCode, 204);
    await stack.projected();
    const start = await balancesOf(s);
    t.same([start.USDT?.free, start.BTC?.free], ['5000', '0.1'], "the venue's balances, replacing the paper account's");

    const buy = await api({
      method: 'POST',
      url: '/api/orders',
      payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '61000' },
    });
    t.equal(buy.statusCode, 201, 'accepted');
    const orderId = buy.json().order.orderId;
    await eventually(
      async () => ((await api({ method: 'GET', url: `/api/orders/${orderId}` })).json().order.status === 'FILLED' ? true : undefined),
      30_000,
      'the buy to fill',
    );
    // 0.001 bought, less the venue's fee in BTC: whatever the venue says, Blotter says too.
    t.ok(dec(await converged(s, venue.apiKey, 'BTC', 'BTC after the fill')).gt('0.1'));
    await converged(s, venue.apiKey, 'USDT', 'USDT after the fill');

    await sim.admin.deposit(venue.apiKey, 'USDT', '100');
    await converged(s, venue.apiKey, 'USDT', 'a deposit through the stream');
    await sim.admin.withdraw(venue.apiKey, 'USDT', '40.5');
    await converged(s, venue.apiKey, 'USDT', 'a withdrawal through the stream');
    await sim.admin.deposit(venue.apiKey, 'ETH', '2');
    t.equal(await converged(s, venue.apiKey, 'ETH', 'a deposit of a new asset'), '2');

    // The executor is down while the venue moves: the sync on reconnect finds it.
    await executor.stop();
    await sim.admin.deposit(venue.apiKey, 'USDT', '25');
    await sim.admin.withdraw(venue.apiKey, 'ETH', '0.5');
    executor.start();
    await executor.waitReady();
    await converged(s, venue.apiKey, 'USDT', 'USDT after the restart');
    t.equal(await converged(s, venue.apiKey, 'ETH', 'ETH after the restart'), '1.5');

    // A resting buy locks USDT (Blotter locks a fee margin more than the venue); the venue then pays
    // out all its free USDT: Blotter's free is 0, never below, and the next order needing USDT is denied.
    const rest = await api({
      method: 'POST',
      url: '/api/orders',
      payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.05', price: '30000' },
    });
    t.equal(rest.statusCode, 201);
    await eventually(
      async () =>
        (await api({ method: 'GET', url: `/api/orders/${rest.json().order.orderId}` })).json().order.status === 'NEW' ? true : undefined,
      30_000,
      'the resting order to be on the book',
    );
    const free = (await sim.admin.balances(venue.apiKey)).find((b) => b.asset === 'USDT')?.free ?? '0';
    await sim.admin.withdraw(venue.apiKey, 'USDT', free);
    const after = await eventually(
      async () => {
        const b = (await balancesOf(s)).USDT;
        return b && dec(b.free).eq(0) ? b : undefined;
      },
      30_000,
      'the withdrawal to reach Blotter',
    );
    t.equal(after.free, '0', 'free is 0, not negative');
    t.ok(dec(after.locked).gte('1500'), 'the open order keeps its reservation');
    const denied = await api({
      method: 'POST',
      url: '/api/orders',
      payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '30000' },
    });
    t.equal(denied.statusCode, 422);
    t.equal(denied.json().error.code, 'INSUFFICIENT_BALANCE');
    const all = await balancesOf(s);
    t.ok(
      Object.values(all).every((b) => dec(b.free).gte(0) && dec(b.locked).gte(0)),
      'no balance below zero',
    );

    // The resting order is canceled. Its release gives back all that Blotter reserved, which is
    // more than the venue held: Blotter fetches the venue's figure right away, without waiting
    // for a reconnect, so free is what the venue has, not more.
    const restId = rest.json().order.orderId;
    t.equal((await api({ method: 'DELETE', url: `/api/orders/${restId}` })).statusCode, 202);
    await eventually(
      async () => ((await api({ method: 'GET', url: `/api/orders/${restId}` })).json().order.status === 'CANCELED' ? true : undefined),
      30_000,
      'the cancel',
    );
    const usdt = await converged(s, venue.apiKey, 'USDT', "USDT at the venue's figure after the cancel");
    t.same([(await balancesOf(s)).USDT?.free, (await balancesOf(s)).USDT?.locked], [usdt, '0'], 'all of it free, nothing locked');
  },
);

t.test(
  'balances follow the venue: testnet keys bring the testnet account, back on paper the paper one; no switch while orders are open',
  async (t) => {
    const s = await register(app);
    const api = as(app, s);
    await stack.projected();
    const totals = async () =>
      Object.fromEntries(
        Object.entries(await balancesOf(s))
          .map(([asset, row]) => [asset, totalOf(row)])
          .filter(([, total]) => dec(total as string).gt(0)),
      );
    const paper = await totals();
    t.ok(dec(paper.USDT ?? '0').gt(0), 'a new user starts on a funded paper account');

    const venue = await sim.admin.createAccount({ USDT: '700' });
    const put = {
      method: 'PUT' as const,
      url: '/api/me/venue-keys',
      payload: { venue: 'binance-testnet', apiKey: venue.apiKey, apiSecret: venue.apiSecret },
    };
    t.equal((await api(put)).statusCode, 204);
    await stack.projected();
    t.same(await totals(), { USDT: '700' }, "on testnet: the testnet account's balances only");

    const rest = await api({
      method: 'POST',
      url: '/api/orders',
      payload: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '30000' },
    });
    t.equal(rest.statusCode, 201);
    const orderId = rest.json().order.orderId;
    const statusIs = (want: string) =>
      eventually(
        async () => ((await api({ method: 'GET', url: `/api/orders/${orderId}` })).json().order.status === want ? true : undefined),
        30_000,
        `the order to be ${want}`,
      );
    await statusIs('NEW');

    const refused = await api({ method: 'DELETE', url: '/api/me/venue-keys' });
    t.equal(refused.statusCode, 409, 'no switch while an order rests on the venue');
    t.equal(refused.json().error.code, 'OPEN_ORDERS');
    t.match(refused.json().error.message, /cancel your 1 open order on binance-testnet/);
    t.equal((await api({ method: 'GET', url: '/api/me' })).json().venue.kind, 'binance-testnet', 'still on testnet');

    t.equal((await api({ method: 'DELETE', url: `/api/orders/${orderId}` })).statusCode, 202);
    await statusIs('CANCELED');
    t.equal((await api({ method: 'DELETE', url: '/api/me/venue-keys' })).statusCode, 204);
    t.equal((await api({ method: 'GET', url: '/api/me' })).json().venue.kind, 'paper');
    await stack.projected();
    t.same(await totals(), paper, "back on paper: the paper account's balances, as they were");
  },
);
