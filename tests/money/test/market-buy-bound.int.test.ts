// Issue 18, defect 8: no balance is ever negative. A MARKET BUY reserves its quantity at the mark
// price plus a slippage margin; if the market runs past that before the order reaches the venue (here:
// the executor is down while the price jumps 30 %), the order must not spend more than it reserved.
// And a SELL beyond the free base balance is denied: spot cannot go short.
import { dec, str } from '@blotter/orders';
import t from 'tap';
import { as, blotterTotals, eventually, moneyStack, register, type Session, startExecutor, venueTotals } from '../src/stack.ts';

const stack = await moneyStack(t);
const symbol = 'BTCUSDT';
const api = (s: Session) => as(stack.app, s);

async function place(s: Session, terms: Record<string, unknown>) {
  return api(s)({ method: 'POST', url: '/api/orders', payload: { symbol, ...terms } });
}
const orderOf = async (s: Session, id: string) => (await api(s)({ method: 'GET', url: `/api/orders/${id}` })).json().order;
const reaches = (s: Session, id: string, statuses: string[]) =>
  eventually(
    async () => {
      const o = await orderOf(s, id);
      return statuses.includes(o.status) ? o : undefined;
    },
    60_000,
    `order ${id} to reach ${statuses.join('/')}`,
  );
const usdt = async (s: Session) => {
  const rows = (await api(s)({ method: 'GET', url: '/api/balances' })).json().balances as { asset: string; free: string; locked: string }[];
  return rows.find((b) => b.asset === 'USDT') ?? { asset: 'USDT', free: '0', locked: '0' };
};
const agrees = (s: Session) =>
  eventually(
    async () => {
      const [ours, venue] = [await blotterTotals(stack, s), await venueTotals(stack, s.userId)];
      return JSON.stringify(ours) === JSON.stringify(venue) ? ours : undefined;
    },
    60_000,
    'balances to equal the venue account',
  );

t.test('a MARKET BUY never spends more than its reservation, however far the price ran', async (t) => {
  const s = await register(stack.app);
  // A price to reserve at: the market feed must have one (a MARKET order is valued at it).
  await eventually(async () => (await api(s)({ method: 'GET', url: `/api/market/${symbol}/ticker` })).statusCode === 200);
  const res = await place(s, { side: 'BUY', type: 'MARKET', quantity: '0.05' });
  t.equal(res.statusCode, 201, res.body);
  const id = res.json().order.orderId;
  // The balances read model catches up with the reservation a moment later.
  const reserved = await eventually(async () => {
    const { locked } = await usdt(s);
    return dec(locked).gt(0) ? locked : undefined;
  });

  // The order waits (no executor yet) while the market jumps 30 % above where it was reserved.
  const now = (await stack.sim.admin.prices()).find((p) => p.symbol === symbol)?.price ?? '65000';
  await stack.sim.admin.pinPrice(symbol, str(dec(now).times('1.3').round(2)));
  t.teardown(() => stack.sim.admin.unpinPrice(symbol).then(() => {}));
  await startExecutor(stack);

  const order = await reaches(s, id, ['FILLED', 'EXPIRED', 'REJECTED']);
  const spent = order.avgFillPrice === null ? dec(0) : dec(order.avgFillPrice).times(order.filledQuantity);
  t.ok(spent.lte(reserved), `spent ${str(spent)} USDT of the ${reserved} reserved (order ${order.status})`);
  t.equal(order.status, 'EXPIRED', 'nothing was offered within the reservation: the order expired');
  const after = await usdt(s);
  t.ok(dec(after.free).gte(0) && dec(after.locked).eq(0), `USDT free ${after.free}, locked ${after.locked}`);
  t.ok(await agrees(s), 'free + locked per asset equal the venue account');
});

t.test('an ordinary MARKET BUY still fills; a SELL beyond the free base balance is denied', async (t) => {
  const s = await register(stack.app);
  await startExecutor(stack);
  await eventually(async () => (await api(s)({ method: 'GET', url: `/api/market/${symbol}/ticker` })).statusCode === 200);
  const res = await place(s, { side: 'BUY', type: 'MARKET', quantity: '0.01' });
  t.equal(res.statusCode, 201, res.body);
  const bought = await reaches(s, res.json().order.orderId, ['FILLED', 'EXPIRED', 'REJECTED']);
  t.equal(bought.status, 'FILLED');
  t.equal(bought.filledQuantity, '0.01');
  const held = await eventually(async () => {
    const rows = (await api(s)({ method: 'GET', url: '/api/balances' })).json().balances as { asset: string; free: string }[];
    return rows.find((b) => b.asset === 'BTC')?.free;
  });
  const sell = await place(s, { side: 'SELL', type: 'MARKET', quantity: str(dec(held).plus('0.00001')) });
  t.equal(sell.statusCode, 422);
  t.equal(sell.json().error.code, 'INSUFFICIENT_BALANCE');
  t.ok(await agrees(s), 'free + locked per asset equal the venue account');
});
