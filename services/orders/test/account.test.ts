// Given / when / then over events: the account aggregate's money rules and order limits.
import t from 'tap';
import type { DomainEvent, OrderEvent, RecordVenueReport } from '@blotter/schemas';
import {
  type AccountState,
  AccountNotOpenError,
  accountAggregate,
  CLOSED_ORDERS_CHUNK,
  cancelOrderOnAccount,
  closedStatus,
  decisionTime,
  evolveAccount,
  initialAccountState,
  OrderClosedError,
  OrderNotFoundError,
  openAccount,
  placeOrderOnAccount,
  RateLimitedError,
  recordVenueReportOnAccount,
} from '../src/index.ts';
import { AT, ORDER, place, USER } from './fixtures.ts';

const opened: DomainEvent = {
  type: 'AccountOpened',
  data: {
    userId: USER,
    email: 'ada@example.com',
    venue: 'paper',
    deposits: [
      { asset: 'USDT', amount: '10000' },
      { asset: 'BTC', amount: '1' },
    ],
  },
};

/** Folds events into an account, each at its own sequence, one millisecond apart from AT. */
function given(...events: DomainEvent[]): AccountState {
  return events.reduce(
    (s, e, i) => evolveAccount(s, e, { seq: i + 1, occurredAt: new Date(Date.parse(AT) + i).toISOString() }),
    initialAccountState(),
  );
}

const report = (r: Partial<RecordVenueReport>): RecordVenueReport => ({
  commandId: 'r',
  orderId: ORDER,
  at: AT,
  venueOrderId: '77',
  venueStatus: 'NEW',
  fills: [],
  code: null,
  reason: null,
  ...r,
});
const fill = (tradeId: string, quantity: string, price: string, fee = '0', feeAsset = 'BTC') => ({
  tradeId,
  price,
  quantity,
  quoteQuantity: String(Number(price) * Number(quantity)),
  fee,
  feeAsset,
  at: AT,
});
const balances = (s: AccountState) => Object.fromEntries(Object.entries(s.balances).map(([a, b]) => [a, [b.free, b.locked]]));

t.test('deposit: the opening deposits are free', async (t) => {
  t.same(balances(given(opened)), { USDT: ['10000', '0'], BTC: ['1', '0'] });
  t.same(given(opened).roles, ['trader']);
});

t.test('reserve on place, release on cancel', async (t) => {
  const placed = placeOrderOnAccount(place(), given(opened), { status: 'NONE' });
  t.same(
    placed.map((e) => e.type),
    ['OrderPlaced'],
  );
  const open = given(opened, ...placed);
  t.same(balances(open).USDT, ['9399.4', '600.6'], '0.01 BTC at 60000 plus the 0.1 % fee margin is locked');
  t.ok(open.openOrders[ORDER], 'the order is open on the account');
  const cancel = { commandId: 'c', orderId: ORDER, at: AT, requestedBy: USER };
  const requested = cancelOrderOnAccount(cancel, open);
  t.same(
    requested.map((e) => e.type),
    ['OrderCancelRequested'],
  );
  t.same(cancelOrderOnAccount(cancel, given(opened, ...placed, ...requested)), [], 'a second cancel while pending changes nothing');
  const canceled = recordVenueReportOnAccount(report({ venueStatus: 'CANCELED' }), given(opened, ...placed, ...requested), null);
  const after = given(opened, ...placed, ...requested, ...canceled);
  t.same(balances(after).USDT, ['10000', '0'], 'everything released');
  t.same(after.openOrders, {});
  t.equal(closedStatus(after, ORDER), 'CANCELED');
  t.throws(() => cancelOrderOnAccount(cancel, after), OrderClosedError, 'a closed order cannot be canceled');
  t.throws(() => cancelOrderOnAccount({ ...cancel, orderId: '0192f4a8-0000-7000-8000-00000000dead' }, after), OrderNotFoundError);
});

t.test('release on expiry and on rejection; a denial reserves nothing', async (t) => {
  for (const venueStatus of ['EXPIRED', 'REJECTED'] as const) {
    const placed = placeOrderOnAccount(place(), given(opened), { status: 'NONE' });
    const closed = recordVenueReportOnAccount(report({ venueStatus, venueOrderId: null }), given(opened, ...placed), null);
    const after = given(opened, ...placed, ...closed);
    t.same(balances(after).USDT, ['10000', '0'], venueStatus);
    t.equal(closedStatus(after, ORDER), venueStatus);
  }
  const denied = placeOrderOnAccount(place({ quantity: '1' }), given(opened), { status: 'NONE' });
  t.equal(denied[0]?.type, 'OrderDenied');
  const after = given(opened, ...denied);
  t.same(balances(after).USDT, ['10000', '0']);
  t.equal(closedStatus(after, ORDER), 'DENIED');
});

t.test('settle on each fill: the reservation share is unlocked, the cost paid, the base received less its fee', async (t) => {
  const placed = placeOrderOnAccount(place(), given(opened), { status: 'NONE' });
  const part = recordVenueReportOnAccount(
    report({ venueStatus: 'PARTIALLY_FILLED', fills: [fill('t1', '0.004', '59990', '0.000004', 'BTC')] }),
    given(opened, ...placed),
    null,
  );
  const mid = given(opened, ...placed, ...part);
  // Unlock 0.4 × 600.6 = 240.24 of the reservation, pay 0.004 × 59990 = 239.96.
  t.same(balances(mid).USDT, ['9399.68', '360.36']);
  t.same(balances(mid).BTC, ['1.003996', '0']);
  const rest = recordVenueReportOnAccount(
    report({
      venueStatus: 'FILLED',
      fills: [fill('t1', '0.004', '59990', '0.000004', 'BTC'), fill('t2', '0.006', '60000', '0.36', 'USDT')],
    }),
    mid,
    null,
  );
  const done = given(opened, ...placed, ...part, ...rest);
  t.same(balances(done).USDT, ['9399.68', '0'], 'the last fill unlocks what is left; a quote fee is paid from free');
  t.same(balances(done).BTC, ['1.009996', '0']);
  t.equal(closedStatus(done, ORDER), 'FILLED');
});

t.test('a MARKET BUY reserves at the mark price plus slippage and settles at the venue price', async (t) => {
  const placed = placeOrderOnAccount(place({ type: 'MARKET', price: null }), given(opened), { status: 'NONE' });
  const open = given(opened, ...placed);
  t.same(balances(open).USDT, ['9369.37', '630.63']);
  const filled = recordVenueReportOnAccount(report({ venueStatus: 'FILLED', fills: [fill('t1', '0.01', '61500')] }), open, null);
  t.same(balances(given(opened, ...placed, ...filled)).USDT, ['9385', '0'], 'paid 615 at 1,500 above the mark: inside the reservation');
});

t.test('a SELL beyond the free base is denied: spot cannot go short', async (t) => {
  const [denied] = placeOrderOnAccount(place({ side: 'SELL', quantity: '1.5' }), given(opened), { status: 'NONE' });
  t.match(denied, { type: 'OrderDenied', data: { code: 'INSUFFICIENT_BALANCE' } });
  const [ok] = placeOrderOnAccount(place({ side: 'SELL', quantity: '1', price: '60000' }), given(opened), { status: 'NONE' });
  t.match(ok, { type: 'OrderPlaced', data: { reserved: { asset: 'BTC', amount: '1' } } });
});

t.test("the open-order cap counts the account's own open orders", async (t) => {
  let events: DomainEvent[] = [opened];
  const ids = ['0192f4a8-0000-7000-8000-000000000001', '0192f4a8-0000-7000-8000-000000000002', '0192f4a8-0000-7000-8000-000000000003'];
  for (const id of ids) {
    const at = new Date(Date.parse(AT) + 5000 * events.length).toISOString();
    events = [
      ...events,
      ...placeOrderOnAccount(place({ orderId: id, at }, { limits: { ...place().context.limits, maxOpenOrders: 2 } }), given(...events), {
        status: 'NONE',
      }),
    ];
  }
  t.same(
    events.slice(1).map((e) => e.type),
    ['OrderPlaced', 'OrderPlaced', 'OrderDenied'],
  );
  t.match(events[3], { data: { code: 'MAX_OPEN_ORDERS' } });
});

t.test("the order rate is decided from the account's recent orders", async (t) => {
  const limits = { ...place().context.limits, ordersPerSecond: 3 };
  const start = Date.parse(AT);
  let state = given(opened);
  let seq = 1;
  const attempt = (i: number, atMs: number) => {
    const at = new Date(atMs).toISOString();
    const events: OrderEvent[] = placeOrderOnAccount(
      place({ orderId: `0192f4a8-0000-7000-8000-${String(i).padStart(12, '0')}`, at, quantity: '0.0001' }, { limits }),
      state,
      { status: 'NONE' },
    );
    for (const e of events) state = evolveAccount(state, e, { seq: ++seq, occurredAt: at });
    return events;
  };
  for (let i = 0; i < 3; i++) attempt(i, start + i * 100);
  const err = t.throws(() => attempt(3, start + 300)) as RateLimitedError;
  t.ok(err instanceof RateLimitedError);
  t.equal(err.retryAfterMs, 700, 'until the oldest order leaves the one-second window');
  t.same(
    attempt(4, start + 1001).map((e) => e.type),
    ['OrderPlaced'],
    'once the window has moved on, orders go through',
  );
});

t.test('decisions are timed no earlier than the newest order the account holds', async (t) => {
  const start = Date.parse(AT);
  let state = given(opened);
  t.equal(decisionTime(state, start), AT, 'an account without orders: now');
  const at = new Date(start + 500).toISOString();
  for (const e of placeOrderOnAccount(place({ at, quantity: '0.0001' }), state, { status: 'NONE' }))
    state = evolveAccount(state, e, { seq: 9, occurredAt: at });
  t.equal(decisionTime(state, start + 900), new Date(start + 900).toISOString(), 'a clock past the newest order: now');
  t.equal(
    decisionTime(state, start + 100),
    at,
    "a clock behind another gateway's: the newest order's time, so the rate window counts every order recorded before",
  );
});

t.test('commands for an account that was never opened are refused', async (t) => {
  t.throws(() => placeOrderOnAccount(place(), initialAccountState(), { status: 'NONE' }), AccountNotOpenError);
  t.same(
    openAccount({ commandId: 'o', userId: USER, at: AT, email: ' Ada@Example.com ', venue: 'paper', deposits: [] }, initialAccountState()),
    [{ type: 'AccountOpened', data: { userId: USER, email: 'ada@example.com', venue: 'paper', deposits: [] } }],
  );
});

t.test('a snapshot of the state passes its own check; a tampered one does not', async (t) => {
  const placed = placeOrderOnAccount(place(), given(opened), { status: 'NONE' });
  const state = JSON.parse(JSON.stringify(given(opened, ...placed)));
  t.ok(accountAggregate.snapshot.check(state));
  state.balances.USDT.free = 12;
  t.notOk(accountAggregate.snapshot.check(state), 'a number where a decimal string belongs');
});

t.test('thousands of closed orders: every status kept, and a close copies one chunk, not the whole record', async (t) => {
  const n = 10 * CLOSED_ORDERS_CHUNK + 7;
  let state = given(opened);
  const ids: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const orderId = `0192f4a8-5b7e-7c31-9a55-${String(i).padStart(12, '0')}`;
    ids.push(orderId);
    // A second apart, under the order rate.
    const when = new Date(Date.parse(AT) + i * 1000).toISOString();
    const denied = placeOrderOnAccount(place({ orderId, commandId: `c${i}`, quantity: '1', at: when }), state, { status: 'NONE' });
    const before = state.closedOrders;
    for (const e of denied) state = evolveAccount(state, e, { seq: ++at, occurredAt: when });
    // Every chunk but the newest is the very same object as before: nothing was copied.
    const shared = state.closedOrders.filter((chunk, k) => k < before.length - 1 && chunk === before[k]).length;
    if (shared !== Math.max(0, before.length - 1)) t.fail(`close ${i}: ${before.length - 1 - shared} full chunks copied`);
  }
  t.equal(state.closedOrders.length, Math.ceil(n / CLOSED_ORDERS_CHUNK), 'chunks of CLOSED_ORDERS_CHUNK');
  t.ok(
    state.closedOrders.every((c) => Object.keys(c).length <= CLOSED_ORDERS_CHUNK),
    'none larger',
  );
  t.ok(
    ids.every((id) => closedStatus(state, id) === 'DENIED'),
    `all ${n} statuses found`,
  );
  t.equal(closedStatus(state, ORDER), undefined, 'an order the account never had');
  t.ok(accountAggregate.snapshot.check(JSON.parse(JSON.stringify(state))), 'the state still passes its snapshot check');
  const cancel = { commandId: 'c', orderId: ids[0] as string, at: AT, requestedBy: USER };
  t.throws(() => cancelOrderOnAccount(cancel, state), OrderClosedError, 'the oldest is still known closed');
});
