// One consistency boundary per user, proved across processes: three gateway processes on one NATS
// race one user's orders, and the account aggregate (rebuilt from the user's own events, appended
// under optimistic concurrency over all of them) admits exactly what the money allows: the sum of
// the reservations never passes the balance, never leaves a reservation's worth unused while orders
// were refused for funds, and the open-order cap holds to the order. The same holds when a gateway
// is SIGKILLed in the middle of the burst. Checked three ways: the answers, the events (the write
// side's truth) and the read models once the executor has sent every order to the simulator.
import { ScopeRepository } from '@blotter/eventstore';
import { type AccountState, accountAggregate, dec, str } from '@blotter/orders';
import type { DomainEvent } from '@blotter/schemas';
import t from 'tap';
import { type Answer, call, register, type Trader } from '../src/client.ts';
import { eventually, startStack } from '@blotter/test-kit';

const MAX_OPEN = 12;
const booting = Date.now();
const stack = await startStack(t, {
  gateway: 'process',
  gateways: 3,
  executor: 'in-process',
  partitions: 4,
  namespacePrefix: 'scl',
  // The rate limit is not what this file is about: high enough that only money and the cap decide.
  env: { gateway: { ORDER_RATE_PER_SECOND: '1000', MAX_OPEN_ORDERS: String(MAX_OPEN) } },
});
const bootMs = Date.now() - booting;
t.comment(`3 gateway processes ready in ${bootMs} ms (namespace ${stack.namespace})`);

const accounts = ScopeRepository.forUsers<AccountState, DomainEvent>(stack.store, accountAggregate);

async function fundedTrader(): Promise<Trader & { usdt: string; price: string }> {
  const trader = await register(stack.gatewayUrls[0] as string, 'boundary');
  const usdt = await eventually(
    async () => {
      const r = await call(stack.gatewayUrls[1] as string, 'GET', '/api/balances', trader.token);
      const balances = (r.json.balances ?? []) as { asset: string; free: string }[];
      return balances.find((b) => b.asset === 'USDT')?.free;
    },
    20_000,
    'the opening deposit to be projected',
  );
  const ticker = await eventually(
    async () => {
      const r = await call(stack.gatewayUrls[2] as string, 'GET', '/api/market/BTCUSDT/ticker', trader.token);
      return r.status === 200 ? (r.json as unknown as { price: string }) : null;
    },
    20_000,
    'a BTCUSDT price',
  );
  // Half the market: the orders rest on the book, so every reservation stays locked.
  return { ...trader, usdt, price: dec(ticker.price).times('0.5').round(2, 0).toFixed(2) };
}

/** A LIMIT BUY whose reservation is about `share` of the balance (quantity at the lot's 0.001 step). */
function restingBuy(trader: { usdt: string; price: string }, share: string) {
  const quantity = dec(trader.usdt).times(share).div(trader.price).round(3, 0).toFixed(3);
  return { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity, price: trader.price };
}

/** `n` orders at once, round-robin over the gateways; a request a dead gateway never answers is `null`. */
function burst(trader: Trader, n: number, body: object, answered = (_gateway: number) => {}): Promise<(Answer | null)[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const gateway = i % stack.gatewayUrls.length;
      const answer = await call(stack.gatewayUrls[gateway] as string, 'POST', '/api/orders', trader.token, body).catch(() => null);
      answered(gateway);
      return answer;
    }),
  );
}

/** The user's orders as the events record them: each placement's reservation, and every denial. */
async function recorded(userId: string) {
  const commits = await stack.store.readSubject(stack.store.subjects.userEvents(userId));
  const events = commits.flatMap((c) => c.events);
  const placed = events.flatMap((e) => (e.type === 'OrderPlaced' ? [e] : []));
  const denied = events.flatMap((e) => (e.type === 'OrderDenied' ? [e] : []));
  const reserved = placed.reduce((sum, e) => sum.plus(e.data.reserved.amount), dec(0));
  return { placed, denied, reserved };
}

/** Waits until the executor has a venue answer for every placed order, and returns the orders. */
async function venueAnswered(trader: Trader, count: number) {
  return eventually(
    async () => {
      const r = await call(stack.gatewayUrls[0] as string, 'GET', '/api/orders?limit=500', trader.token);
      const orders = (r.json.orders ?? []) as { orderId: string; status: string; reason?: string | null }[];
      const sent = orders.filter((o) => o.status !== 'PENDING_NEW' && o.status !== 'DENIED');
      return sent.length >= count ? sent : null;
    },
    60_000,
    `the venue's answer to ${count} orders`,
  );
}

async function readModelBalance(trader: Trader) {
  const r = await call(stack.gatewayUrls[1] as string, 'GET', '/api/balances', trader.token);
  return ((r.json.balances ?? []) as { asset: string; free: string; locked: string }[]).find((b) => b.asset === 'USDT');
}

t.test('200 orders at once over three gateways reserve exactly what the balance allows, never more', async (t) => {
  const trader = await fundedTrader();
  const answers = await burst(trader, 200, restingBuy(trader, '0.09'));
  const accepted = answers.filter((a) => a?.status === 201);
  const refused = answers.filter((a) => a?.status === 422);
  t.equal(accepted.length + refused.length, 200, 'every request answered 201 or 422', {
    others: answers.filter((a) => a?.status !== 201 && a?.status !== 422).slice(0, 5),
  });
  t.ok(
    refused.every((a) => a?.json.error?.code === 'INSUFFICIENT_BALANCE'),
    'every refusal is for funds',
  );

  const { placed, denied, reserved } = await recorded(trader.userId);
  t.equal(placed.length, accepted.length, 'one OrderPlaced per 201');
  t.equal(denied.length, refused.length, 'one OrderDenied per 422');
  const each = dec(placed[0]?.data.reserved.amount ?? '0');
  t.ok(reserved.lte(trader.usdt), `reserved ${str(reserved)} of ${trader.usdt} USDT: never more than the balance`);
  t.ok(
    dec(trader.usdt).minus(reserved).lt(each),
    `what is left (${str(dec(trader.usdt).minus(reserved))}) is less than one more order's reservation (${str(each)}): nothing refused that fitted`,
  );

  const account = (await accounts.loadFresh(trader.userId)).state;
  for (const [asset, b] of Object.entries(account.balances) as [string, { free: string }][])
    t.ok(dec(b.free).gte(0), `${asset} free ${b.free} is not negative`);
  t.equal(account.balances.USDT?.locked, str(reserved), 'the aggregate locks exactly the reservations');

  const sent = await venueAnswered(trader, placed.length);
  t.same(
    sent.filter((o) => o.status !== 'NEW').map((o) => `${o.status} ${o.reason ?? ''}`),
    [],
    'the venue accepted every order (it would reject one the balance did not cover)',
  );
  const projected = await eventually(
    async () => {
      const b = await readModelBalance(trader);
      return b?.locked === str(reserved) ? b : null;
    },
    20_000,
    'the read model to lock the reservations',
  );
  t.equal(projected.free, str(dec(trader.usdt).minus(reserved)), 'the read model agrees: free is the balance less the reservations');
});

t.test(`the open-order cap (${MAX_OPEN}) holds to the order when 60 arrive at once`, async (t) => {
  const trader = await fundedTrader();
  const answers = await burst(trader, 60, restingBuy(trader, '0.009'));
  const accepted = answers.filter((a) => a?.status === 201);
  t.equal(accepted.length, MAX_OPEN, `exactly ${MAX_OPEN} placed`);
  t.ok(
    answers.every((a) => a?.status === 201 || (a?.status === 422 && a.json.error?.code === 'MAX_OPEN_ORDERS')),
    'every other answer is MAX_OPEN_ORDERS',
  );
  const { placed } = await recorded(trader.userId);
  t.equal(placed.length, MAX_OPEN, `${MAX_OPEN} OrderPlaced events`);
  t.equal(Object.keys((await accounts.loadFresh(trader.userId)).state.openOrders).length, MAX_OPEN, 'the aggregate holds the cap');
});

t.test('a gateway SIGKILLed in the middle of the burst breaks no money rule', async (t) => {
  const trader = await fundedTrader();
  const victim = stack.proc('gateway-c');
  // Killed once it has answered a few: the burst is then well under way on every gateway, and the
  // victim dies with requests in flight.
  let victimAnswers = 0;
  const racing = burst(trader, 200, restingBuy(trader, '0.09'), (g) => {
    if (g === 2) victimAnswers++;
  });
  await eventually(async () => victimAnswers >= 5 || null, 20_000, 'gateway c to answer five orders');
  const killed = await victim.kill();
  const answers = await racing;
  t.comment(`gateway c killed after ${killed.ms} ms; ${answers.filter((a) => a === null).length} requests lost with it`);

  const { placed, reserved } = await recorded(trader.userId);
  t.ok(reserved.lte(trader.usdt), `reserved ${str(reserved)} of ${trader.usdt} USDT: never more than the balance`);
  const acceptedIds = answers.flatMap((a) => (a?.status === 201 ? [String(a.json.order?.orderId)] : []));
  const placedIds = new Set(placed.map((e) => e.data.orderId));
  t.ok(
    acceptedIds.every((id) => placedIds.has(id)),
    'every order answered 201 is in the stream (nothing accepted is lost)',
  );
  const account = (await accounts.loadFresh(trader.userId)).state;
  for (const [asset, b] of Object.entries(account.balances) as [string, { free: string }][])
    t.ok(dec(b.free).gte(0), `${asset} free ${b.free} is not negative`);

  const sent = await venueAnswered(trader, placed.length);
  t.same(
    sent.filter((o) => o.status !== 'NEW').map((o) => o.status),
    [],
    'the venue accepted every order placed, those of the killed gateway included',
  );
  const b = await eventually(
    async () => {
      const x = await readModelBalance(trader);
      return x?.locked === str(reserved) ? x : null;
    },
    20_000,
    'the read model to lock the reservations',
  );
  t.ok(dec(b.free).gte(0), `read-model free ${b.free} USDT is not negative`);
  victim.start();
  await victim.waitReady(60_000);
});
