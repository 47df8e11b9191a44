// Given / when / then over events: the order decider's rules.
import t from 'tap';
import type { OrderEvent, RecordVenueReport } from '@blotter/schemas';
import {
  dec,
  decideOrder,
  IdempotencyKeyReusedError,
  InvalidOrderError,
  InvalidVenueReportError,
  initialOrderState,
  OrderClosedError,
  OrderNotFoundError,
  toOrderView,
  str,
  UnrecordedFillsError,
} from '../src/index.ts';
import { AT, decidePlace, given, ORDER, OTHER, USER } from './fixtures.ts';

const placed = (): OrderEvent[] => decidePlace();

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
const fill = (tradeId: string, quantity: string, price = '60000') => ({
  tradeId,
  price,
  quantity,
  quoteQuantity: String(Number(price) * Number(quantity)),
  fee: '0',
  feeAsset: 'BTC',
  at: AT,
});

t.test('PlaceOrder: a valid LIMIT buy is placed and reserves notional plus fee margin', async (t) => {
  const [event] = placed();
  t.equal(event?.type, 'OrderPlaced');
  t.match(event?.data, { timeInForce: 'GTC', baseAsset: 'BTC', quoteAsset: 'USDT', reserved: { asset: 'USDT', amount: '600.6' } });
});

t.test('PlaceOrder: a MARKET buy reserves at the mark price plus slippage; a SELL reserves base', async (t) => {
  const [m] = decidePlace({ type: 'MARKET', price: null });
  t.match(m?.data, { reserved: { asset: 'USDT', amount: '630.63' }, timeInForce: null });
  const [s] = decidePlace({ side: 'SELL' });
  t.match(s?.data, { reserved: { asset: 'BTC', amount: '0.01' } });
});

t.test('PlaceOrder: pre-trade denials are recorded as OrderDenied with a code, a field and the filter', async (t) => {
  const cases: [Parameters<typeof decidePlace>, string, string | null, string | null][] = [
    [[{}, { halted: true }], 'TRADING_HALTED', null, null],
    [[{}, { symbolInfo: null }], 'UNKNOWN_SYMBOL', 'symbol', null],
    [[{ price: '60000.001' }], 'FILTER_FAILURE', 'price', 'PRICE_FILTER'],
    [[{ quantity: '0.000015' }], 'FILTER_FAILURE', 'quantity', 'LOT_SIZE'],
    [[{ quantity: '0.00001' }], 'FILTER_FAILURE', 'notional', 'NOTIONAL'],
    [[{ quantity: '2' }], 'MAX_NOTIONAL_EXCEEDED', 'notional', null],
    [[{}, { openOrders: 10 }], 'MAX_OPEN_ORDERS', null, null],
    [[{}, { available: { USDT: '600' } }], 'INSUFFICIENT_BALANCE', 'quantity', null],
    [[{ side: 'SELL' }, { available: { BTC: '0.005' } }], 'INSUFFICIENT_BALANCE', 'quantity', null],
    [[{ type: 'MARKET', price: null }, { markPrice: null }], 'FILTER_FAILURE', 'price', 'NOTIONAL'],
  ];
  for (const [args, code, field, filter] of cases) {
    const [event] = decidePlace(...args);
    t.equal(event?.type, 'OrderDenied', code);
    t.match(event?.data, { code, field }, code);
    t.equal(event?.type === 'OrderDenied' ? event.data.filter : undefined, filter, `${code}: filter ${filter}`);
  }
});

t.test('PlaceOrder: fields that do not fit the type are a validation error, not an event', async (t) => {
  t.throws(() => decidePlace({ price: null }), InvalidOrderError);
  t.throws(() => decidePlace({ type: 'MARKET' }), InvalidOrderError);
  t.throws(() => decidePlace({ type: 'STOP_LOSS_LIMIT' }), InvalidOrderError);
  t.throws(() => decidePlace({ stopPrice: '1' }), InvalidOrderError);
  t.throws(() => decidePlace({ quantity: '0' }), InvalidOrderError);
  t.throws(() => decidePlace({ type: 'MARKET', price: null, timeInForce: 'GTC' }), InvalidOrderError);
});

t.test('PlaceOrder again: same terms is a no-op, other terms is a reused key', async (t) => {
  const state = given(...placed());
  t.same(decidePlace({ quantity: '0.010' }, {}, state), [], 'same order (decimal-equal) appends nothing');
  t.throws(() => decidePlace({ quantity: '0.02' }, {}, state), IdempotencyKeyReusedError);
  t.throws(() => decidePlace({ userId: OTHER }, {}, state), IdempotencyKeyReusedError);
});

t.test('CancelOrder: open orders move to PENDING_CANCEL; others are refused by name', async (t) => {
  const open = given(...placed());
  const cmd = { commandId: 'x', orderId: ORDER, at: AT, requestedBy: USER };
  t.same(decideOrder({ type: 'CancelOrder', data: cmd }, open), [
    { type: 'OrderCancelRequested', data: { orderId: ORDER, requestedBy: USER } },
  ]);
  t.throws(
    () => decideOrder({ type: 'CancelOrder', data: { ...cmd, requestedBy: OTHER } }, open),
    OrderNotFoundError,
    "another user's order",
  );
  t.throws(() => decideOrder({ type: 'CancelOrder', data: cmd }, initialOrderState()), OrderNotFoundError);
  const pending = given(...placed(), { type: 'OrderCancelRequested', data: { orderId: ORDER, requestedBy: USER } });
  t.same(decideOrder({ type: 'CancelOrder', data: cmd }, pending), [], 'a second cancel is a no-op');
  const filled = given(
    ...placed(),
    ...decideOrder({ type: 'RecordVenueReport', data: report({ venueStatus: 'FILLED', fills: [fill('1', '0.01')] }) }, given(...placed())),
  );
  t.equal(filled.status, 'FILLED');
  t.throws(() => decideOrder({ type: 'CancelOrder', data: cmd }, filled), OrderClosedError);
  const denied = given(...decidePlace({}, { halted: true }));
  t.throws(() => decideOrder({ type: 'CancelOrder', data: cmd }, denied), OrderClosedError);
});

t.test('RecordVenueReport: ack, partial fill, full fill, releasing the reservation share by share', async (t) => {
  let state = given(...placed());
  const ack = decideOrder({ type: 'RecordVenueReport', data: report({}) }, state);
  t.same(
    ack.map((e) => e.type),
    ['OrderAccepted'],
  );
  state = given(...placed(), ...ack);
  t.equal(state.status, 'NEW');
  t.same(decideOrder({ type: 'RecordVenueReport', data: report({}) }, state), [], 'a repeated ack adds nothing');

  const part = decideOrder(
    { type: 'RecordVenueReport', data: report({ venueStatus: 'PARTIALLY_FILLED', fills: [fill('t1', '0.004', '59990')] }) },
    state,
  );
  t.same(
    part.map((e) => e.type),
    ['OrderFilled'],
  );
  t.match(part[0]?.data, { cumulativeQuantity: '0.004', released: { asset: 'USDT', amount: '240.24' } });
  state = given(...placed(), ...ack, ...part);
  t.equal(state.status, 'PARTIALLY_FILLED');

  const rest = decideOrder(
    { type: 'RecordVenueReport', data: report({ venueStatus: 'FILLED', fills: [fill('t1', '0.004', '59990'), fill('t2', '0.006')] }) },
    state,
  );
  t.same(
    rest.map((e) => e.type),
    ['OrderFilled'],
    'the fill already booked is skipped',
  );
  t.match(rest[0]?.data, { tradeId: 't2', cumulativeQuantity: '0.01', released: { amount: '360.36' } });
  state = given(...placed(), ...ack, ...part, ...rest);
  t.equal(state.status, 'FILLED');
  t.match(state, { reservedRemaining: '0', filledQuantity: '0.01', cumulativeQuote: '599.96' });
});

t.test('RecordVenueReport: each fill records the rate that values its fee in the quote asset', async (t) => {
  const charged = (tradeId: string, fee: string, feeAsset: string, feeQuoteRate?: string) => ({
    ...fill(tradeId, '0.002', '60000'),
    fee,
    feeAsset,
    ...(feeQuoteRate ? { feeQuoteRate } : {}),
  });
  const events = decideOrder(
    {
      type: 'RecordVenueReport',
      data: report({
        venueStatus: 'PARTIALLY_FILLED',
        fills: [
          charged('q', '0.12', 'USDT'),
          charged('b', '0.000002', 'BTC'),
          charged('n', '0.0002', 'BNB', '600.5'),
          charged('x', '0.3', 'XYZ'),
          charged('u', '0.12', 'USDT', '7'),
        ],
      }),
    },
    given(...placed()),
  );
  const rates = events.flatMap((e) => (e.type === 'OrderFilled' ? [[e.data.tradeId, e.data.feeQuoteRate]] : []));
  t.same(
    rates,
    [
      ['q', '1'],
      ['b', '60000'],
      ['n', '600.5'],
      ['x', null],
      ['u', '1'],
    ],
    'quote: 1; base: the fill price; a third asset: the venue price recorded with the fill (null without one)',
  );
});

t.test('an order keeps every fee asset: a second fill charged in another asset adds to the first', async (t) => {
  const first = { ...fill('t1', '0.004', '60000'), fee: '0.000004', feeAsset: 'BTC' };
  const second = { ...fill('t2', '0.006', '60000'), fee: '0.00036', feeAsset: 'BNB', feeQuoteRate: '600' };
  let state = given(...placed());
  const a = decideOrder({ type: 'RecordVenueReport', data: report({ venueStatus: 'PARTIALLY_FILLED', fills: [first] }) }, state);
  state = given(...placed(), ...a);
  const b = decideOrder({ type: 'RecordVenueReport', data: report({ venueStatus: 'FILLED', fills: [first, second] }) }, state);
  state = given(...placed(), ...a, ...b);
  t.match(state, {
    status: 'FILLED',
    fees: [
      { asset: 'BNB', amount: '0.00036' },
      { asset: 'BTC', amount: '0.000004' },
    ],
    // 0.000004 BTC at 60000 + 0.00036 BNB at 600
    fee: '0.456',
  });
  if (state.status === 'NONE') throw new Error('no order');
  t.match(toOrderView(state), { fee: '0.456', feeAsset: 'USDT', fees: state.fees }, 'the view: fees as charged, fee in the quote asset');
  const fresh = given(...placed());
  if (fresh.status === 'NONE') throw new Error('no order');
  t.match(toOrderView(fresh), { fee: '0', feeAsset: null, fees: [] }, 'before any fee');
});

t.test('RecordVenueReport: a MARKET order that runs out of liquidity books its fill, then expires', async (t) => {
  const market = decidePlace({ type: 'MARKET', price: null });
  const events = decideOrder(
    { type: 'RecordVenueReport', data: report({ venueStatus: 'EXPIRED', fills: [fill('t1', '0.004')] }) },
    given(...market),
  );
  t.same(
    events.map((e) => e.type),
    ['OrderAccepted', 'OrderFilled', 'OrderExpired'],
  );
  const state = given(...market, ...events);
  t.match(state, { status: 'EXPIRED', filledQuantity: '0.004', reservedRemaining: '0' });
});

t.test('RecordVenueReport: rejection and cancel release everything left', async (t) => {
  const rejected = decideOrder(
    { type: 'RecordVenueReport', data: report({ venueOrderId: null, venueStatus: 'REJECTED', code: '-2010', reason: 'no' }) },
    given(...placed()),
  );
  t.match(rejected, [{ type: 'OrderRejected', data: { code: '-2010', released: { amount: '600.6' } } }]);
  const canceled = decideOrder({ type: 'RecordVenueReport', data: report({ venueStatus: 'CANCELED' }) }, given(...placed()));
  t.same(
    canceled.map((e) => e.type),
    ['OrderAccepted', 'OrderCanceled'],
  );
  t.equal(given(...placed(), ...canceled).status, 'CANCELED');
  t.same(
    decideOrder({ type: 'RecordVenueReport', data: report({ venueStatus: 'CANCELED' }) }, given(...placed(), ...canceled)),
    [],
    'closed stays closed',
  );
});

t.test('RecordVenueReport: impossible reports are named errors', async (t) => {
  t.throws(() => decideOrder({ type: 'RecordVenueReport', data: report({}) }, initialOrderState()), InvalidVenueReportError);
  t.throws(
    () => decideOrder({ type: 'RecordVenueReport', data: report({ fills: [fill('t', '0.02')] }) }, given(...placed())),
    InvalidVenueReportError,
    'overfill',
  );
});

t.test('RecordVenueReport: an order is not closed while the venue executed more than its fills (issue 18, defect 1)', async (t) => {
  for (const venueStatus of ['CANCELED', 'EXPIRED', 'EXPIRED_IN_MATCH'] as const) {
    t.throws(
      () => decideOrder({ type: 'RecordVenueReport', data: report({ venueStatus, executedQuantity: '0.004' }) }, given(...placed())),
      UnrecordedFillsError,
      `${venueStatus} with executedQty 0.004 and no fill`,
    );
    const events = decideOrder(
      { type: 'RecordVenueReport', data: report({ venueStatus, executedQuantity: '0.004', fills: [fill('t1', '0.004')] }) },
      given(...placed()),
    );
    t.same(
      events.map((e) => e.type),
      ['OrderAccepted', 'OrderFilled', venueStatus === 'CANCELED' ? 'OrderCanceled' : 'OrderExpired'],
      `${venueStatus} with the fill: the fill first, then the close`,
    );
    t.match(events[2], { data: { released: { amount: str(dec('600.6').times('0.6')) } } }, 'the close frees only what is left');
  }
  const partly = given(
    ...placed(),
    ...decideOrder({ type: 'RecordVenueReport', data: report({ fills: [fill('t1', '0.004')] }) }, given(...placed())),
  );
  t.match(
    decideOrder({ type: 'RecordVenueReport', data: report({ venueStatus: 'CANCELED', executedQuantity: '0.004' }) }, partly),
    [{ type: 'OrderCanceled' }],
    'fills recorded earlier count',
  );
});

t.test('RecordCancelRejection: restores the working status', async (t) => {
  const base = [...placed(), { type: 'OrderAccepted' as const, data: { orderId: ORDER, venueOrderId: '77', acceptedAt: AT } }];
  const pending = given(...base, { type: 'OrderCancelRequested', data: { orderId: ORDER, requestedBy: USER } });
  const events = decideOrder(
    { type: 'RecordCancelRejection', data: { commandId: 'x', orderId: ORDER, at: AT, code: '-2011', reason: 'Unknown order sent.' } },
    pending,
  );
  t.same(
    events.map((e) => e.type),
    ['OrderCancelRejected'],
  );
  t.equal(given(...base, { type: 'OrderCancelRequested', data: { orderId: ORDER, requestedBy: USER } }, ...events).status, 'NEW');
});
