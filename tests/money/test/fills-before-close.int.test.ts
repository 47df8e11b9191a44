// Issue 18, defect 1: a fill made just before a cancel or an expiry is never lost. The user-data
// stream here loses every report that carries a fill, so when the order closes Blotter has heard of
// the execution only through the venue's executedQty (the cancel's answer, the expiry's report).
// The order must end with the venue's fills recorded and the account equal to the venue's.
import { createBinanceVenue } from '@blotter/executor/venue';
import { dec, str } from '@blotter/orders';
import t from 'tap';
import {
  as,
  blotterTotals,
  eventually,
  losingFillReports,
  moneyStack,
  register,
  type Session,
  type Stack,
  startExecutor,
  venueTotals,
} from '../src/stack.ts';

const stack = await moneyStack(t);
// No poll or reconciliation pass would find the lost fills in time: only the close itself may.
await startExecutor(stack, { wrap: losingFillReports, pollMs: 600_000, reconcileMs: 600_000 });
const symbol = 'BTCUSDT';

/** Pins the price where it is: the market maker then quotes around it, leaving the mid free. */
async function pinnedMid(): Promise<string> {
  const prices = await stack.sim.admin.prices();
  const now = prices.find((p) => p.symbol === symbol)?.price ?? '65000';
  const mid = str(dec(now).round(2));
  await stack.sim.admin.pinPrice(symbol, mid);
  return mid;
}

/** Another venue account that sells into our resting bid (an IOC at its price). */
async function sellInto(stackArg: Stack, price: string, quantity: string): Promise<string> {
  const account = await stackArg.sim.admin.createAccount({ BTC: '1', USDT: '1000' });
  const venue = await createBinanceVenue({
    apiKey: account.apiKey,
    apiSecret: account.apiSecret,
    kind: 'paper',
    baseUrl: stackArg.sim.url,
  });
  try {
    const report = await venue.placeOrder({
      symbol,
      side: 'SELL',
      type: 'LIMIT',
      quantity,
      price,
      stopPrice: null,
      timeInForce: 'IOC',
      clientOrderId: `taker-${Date.now()}`,
    });
    return report.executedQuantity;
  } finally {
    await venue.close();
  }
}

async function place(s: Session, terms: Record<string, unknown>) {
  const res = await as(stack.app, s)({ method: 'POST', url: '/api/orders', payload: { symbol, ...terms } });
  if (res.statusCode !== 201) throw new Error(`place: ${res.statusCode} ${res.body}`);
  return res.json().order.orderId as string;
}

const orderOf = async (s: Session, id: string) => (await as(stack.app, s)({ method: 'GET', url: `/api/orders/${id}` })).json().order;

const reaches = (s: Session, id: string, statuses: string[]) =>
  eventually(
    async () => {
      const o = await orderOf(s, id);
      return statuses.includes(o.status) ? o : undefined;
    },
    60_000,
    `order ${id} to reach ${statuses.join('/')}`,
  );

const balancesAgree = (s: Session) =>
  eventually(
    async () => {
      const [ours, venue] = [await blotterTotals(stack, s), await venueTotals(stack, s.userId)];
      return JSON.stringify(ours) === JSON.stringify(venue) ? ours : undefined;
    },
    60_000,
    'balances to equal the venue account',
  ).catch(async (err) => {
    throw new Error(
      `${err.message}: ours ${JSON.stringify(await blotterTotals(stack, s))} venue ${JSON.stringify(await venueTotals(stack, s.userId))}`,
    );
  });

t.test('a partial fill just before a cancel is recorded before the order is canceled', async (t) => {
  const s = await register(stack.app);
  const mid = await pinnedMid();
  t.teardown(() => stack.sim.admin.unpinPrice(symbol).then(() => {}));
  const id = await place(s, { side: 'BUY', type: 'LIMIT', quantity: '0.01', price: mid });
  await reaches(s, id, ['NEW']);
  t.equal(await sellInto(stack, mid, '0.004'), '0.004', 'the venue filled 0.004 of our bid');

  const cancel = await as(stack.app, s)({ method: 'DELETE', url: `/api/orders/${id}` });
  t.ok(cancel.statusCode < 300, `cancel accepted (${cancel.statusCode})`);
  const order = await reaches(s, id, ['CANCELED', 'PARTIALLY_FILLED', 'FILLED', 'EXPIRED']);
  t.equal(order.status, 'CANCELED');
  t.equal(order.filledQuantity, '0.004', 'the fill the venue made is on the order');
  t.ok(await balancesAgree(s), 'free + locked per asset equal the venue account');
});

t.test('a partial fill before a self-trade-prevention expiry is recorded before the order expires', async (t) => {
  const s = await register(stack.app);
  const mid = await pinnedMid();
  t.teardown(() => stack.sim.admin.unpinPrice(symbol).then(() => {}));
  // Some BTC to sell into our own bid (the placement's answer carries these fills).
  await reaches(s, await place(s, { side: 'BUY', type: 'MARKET', quantity: '0.01' }), ['FILLED']);
  const bid = await place(s, { side: 'BUY', type: 'LIMIT', quantity: '0.01', price: mid });
  await reaches(s, bid, ['NEW']);
  t.equal(await sellInto(stack, mid, '0.003'), '0.003', 'the venue filled 0.003 of our bid');

  // Our own ask at the bid's price: the venue's default STP (EXPIRE_MAKER) expires the bid.
  const ask = await place(s, { side: 'SELL', type: 'LIMIT', quantity: '0.002', price: mid });
  const expired = await reaches(s, bid, ['EXPIRED', 'CANCELED', 'FILLED']);
  t.equal(expired.status, 'EXPIRED');
  t.equal(expired.filledQuantity, '0.003', 'the fill before the expiry is on the order');
  await as(stack.app, s)({ method: 'DELETE', url: `/api/orders/${ask}` });
  await reaches(s, ask, ['CANCELED', 'FILLED', 'EXPIRED']);
  t.ok(await balancesAgree(s), 'free + locked per asset equal the venue account');
});
