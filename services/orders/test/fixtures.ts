// Shared givens for the domain tests.
import type { OrderEvent, PlaceOrder } from '@blotter/schemas';
import { type AccountFacts, evolveOrder, initialOrderState, type OrderState, placeOrder } from '../src/index.ts';
import { BTCUSDT } from '@blotter/test-kit/fixtures';

export const USER = '0192f4a7-0000-7000-8000-000000000001';
export const OTHER = '0192f4a7-0000-7000-8000-000000000002';
export const ORDER = '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a';
export const AT = '2026-11-24T12:00:00.000Z';

export { BTCUSDT };

/** What the account aggregate would supply: a paper account with 10,000 USDT and 1 BTC free. */
export const facts = (overrides: Partial<AccountFacts> = {}): AccountFacts => ({
  venue: 'paper',
  available: { USDT: '10000', BTC: '1' },
  openOrders: { onSymbol: 0, algoOnSymbol: 0, onVenue: 0, algoOnVenue: 0 },
  held: { base: '1', openBuyQuantity: '0' },
  ...overrides,
});

/** The command's context plus account facts; `openOrders: n` means n open orders, all on this symbol. */
type Given = Partial<PlaceOrder['context']> & Partial<Omit<AccountFacts, 'openOrders'>> & { openOrders?: number };

/** PlaceOrder decided on an order state with account facts; `given` mixes command context and facts. */
export function decidePlace(overrides: Partial<PlaceOrder> = {}, given: Given = {}, state: OrderState = initialOrderState()): OrderEvent[] {
  const { venue, available, openOrders, held, ...context } = given;
  const counts =
    openOrders === undefined ? {} : { openOrders: { onSymbol: openOrders, algoOnSymbol: 0, onVenue: openOrders, algoOnVenue: 0 } };
  return placeOrder(
    place(overrides, context),
    state,
    facts({ ...(venue && { venue }), ...(available && { available }), ...(held && { held }), ...counts }),
  );
}

export function place(overrides: Partial<PlaceOrder> = {}, context: Partial<PlaceOrder['context']> = {}): PlaceOrder {
  return {
    commandId: 'c1',
    orderId: ORDER,
    at: AT,
    userId: USER,
    clientOrderId: null,
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: null,
    quantity: '0.01',
    price: '60000',
    stopPrice: null,
    ...overrides,
    context: {
      symbolInfo: BTCUSDT,
      markPrice: '60000',
      limits: { maxNotional: '100000', maxOpenOrders: 10, ordersPerSecond: 20, feeMargin: '0.001', marketSlippage: '0.05' },
      halted: false,
      ...context,
    },
  };
}

/** Folds events into an order state, as the store would after reading them. */
export function given(...events: OrderEvent[]): OrderState {
  return events.reduce<OrderState>((s, e, i) => evolveOrder(s, e, { seq: i + 1, occurredAt: AT }), initialOrderState());
}
