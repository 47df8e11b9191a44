// The order workload every store-level benchmark shares: real commands decided by Blotter's own
// decider, so the event payloads are exactly what the product writes. Each order is two commits on
// its own aggregate: [OrderPlaced] then the venue's report [OrderAccepted, OrderFilled] (3 events).
// Users open their accounts first ([AccountOpened] with deposits large enough for every order).
import { nameUuid, uuidv7 } from '@blotter/eventstore';
import { evolveOrder, type ExistingOrder, initialOrderState, placeOrder, recordVenueReport } from '@blotter/orders';
import type { DomainEvent, OrderEvent, PlaceOrder, SymbolInfo } from '@blotter/schemas';
import { BTCUSDT } from '@blotter/test-kit/fixtures';

export const SYMBOLS: Record<string, SymbolInfo & { price: number }> = {
  BTCUSDT: { ...BTCUSDT, price: 65_000 },
  ETHUSDT: {
    symbol: 'ETHUSDT',
    baseAsset: 'ETH',
    quoteAsset: 'USDT',
    tickSize: '0.01',
    stepSize: '0.0001',
    minQty: '0.0001',
    maxQty: '9000',
    minPrice: '0.01',
    maxPrice: '1000000',
    minNotional: '5',
    price: 3_000,
  },
};

/** One commit as the event store writes it: its aggregate, command id and events. */
export interface WorkCommit {
  subject: string;
  commitId: string;
  aggregateId: string;
  userId: string;
  occurredAt: string;
  events: DomainEvent[];
}

/** One order's life: its two commits, in order. */
export interface WorkOrder {
  orderId: string;
  userId: string;
  commits: [WorkCommit, WorkCommit];
}

export interface Workload {
  users: string[];
  accounts: WorkCommit[];
  orders: WorkOrder[];
  /** Events in accounts + orders. */
  events: number;
}

type SubjectsLike = { order(userId: string, orderId: string): string; account(userId: string): string };

const LIMITS = { maxNotional: '100000', maxOpenOrders: 200, ordersPerSecond: 1000, feeMargin: '0.001', marketSlippage: '0.05' };

/** Deterministic enough for a benchmark: a small LCG so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function userAccountCommit(subjects: SubjectsLike, userId: string, at: string): WorkCommit {
  return {
    subject: subjects.account(userId),
    commitId: `open-${userId}`,
    aggregateId: userId,
    userId,
    occurredAt: at,
    events: [
      {
        type: 'AccountOpened',
        data: {
          userId,
          email: `${userId.slice(-12)}@bench.example.com`,
          venue: 'paper',
          deposits: [
            { asset: 'USDT', amount: '1000000000' },
            { asset: 'BTC', amount: '100000' },
            { asset: 'ETH', amount: '1000000' },
          ],
        },
      },
    ],
  };
}

/** One order placed and filled, decided by the real decider. */
export function orderLife(subjects: SubjectsLike, userId: string, n: number, random: () => number, baseTime: number): WorkOrder {
  const orderId = uuidv7(baseTime + n);
  const info = SYMBOLS[random() < 0.7 ? 'BTCUSDT' : 'ETHUSDT'] as (typeof SYMBOLS)[string];
  const side = random() < 0.5 ? 'BUY' : 'SELL';
  const price = (info.price * (1 + (random() - 0.5) / 50)).toFixed(2);
  const quantity = info.symbol === 'BTCUSDT' ? '0.001' : '0.01';
  const placedAt = new Date(baseTime + n * 10).toISOString();
  const filledAt = new Date(baseTime + n * 10 + 5).toISOString();
  const { price: _p, ...symbolInfo } = info;
  const command: PlaceOrder = {
    commandId: `place-${orderId}`,
    orderId,
    at: placedAt,
    userId,
    clientOrderId: null,
    symbol: info.symbol,
    side,
    type: 'MARKET',
    timeInForce: null,
    quantity,
    price: null,
    stopPrice: null,
    context: { symbolInfo, markPrice: price, limits: LIMITS, halted: false },
  };
  const placed = placeOrder(command, initialOrderState(), {
    venue: 'paper',
    available: { USDT: '1000000000', BTC: '100000', ETH: '1000000' },
    openOrders: { onSymbol: 0, algoOnSymbol: 0, onVenue: 0, algoOnVenue: 0 },
    held: { base: '0', openBuyQuantity: '0' },
  });
  if (placed[0]?.type !== 'OrderPlaced') throw new Error(`workload order was not placed: ${JSON.stringify(placed[0])}`);
  const afterPlace = evolveOrder(initialOrderState(), placed[0], { seq: 1, occurredAt: placedAt }) as ExistingOrder;
  const quote = (Number(quantity) * Number(price)).toFixed(8);
  const fee = side === 'BUY' ? (Number(quantity) * 0.001).toFixed(8) : (Number(quote) * 0.001).toFixed(8);
  const report: OrderEvent[] = recordVenueReport(
    {
      commandId: `report-${orderId}-1`,
      orderId,
      at: filledAt,
      venueOrderId: String(1_000_000 + n),
      venueStatus: 'FILLED',
      fills: [
        {
          tradeId: String(5_000_000 + n),
          price,
          quantity,
          quoteQuantity: quote,
          fee,
          feeAsset: side === 'BUY' ? info.baseAsset : info.quoteAsset,
          at: filledAt,
        },
      ],
      code: null,
      reason: null,
    },
    afterPlace,
  );
  const subject = subjects.order(userId, orderId);
  const commit = (commitId: string, occurredAt: string, events: DomainEvent[]): WorkCommit => ({
    subject,
    commitId,
    aggregateId: orderId,
    userId,
    occurredAt,
    events,
  });
  return {
    orderId,
    userId,
    commits: [commit(command.commandId, placedAt, placed), commit(`report-${orderId}-1`, filledAt, report)],
  };
}

/** `orderCount` orders spread over `userCount` users (ids are UUIDv7 as in the product). */
export function makeWorkload(subjects: SubjectsLike, userCount: number, orderCount: number, seed = 42): Workload {
  const random = rng(seed);
  const baseTime = Date.UTC(2026, 10, 24, 12);
  const users = Array.from({ length: userCount }, (_, i) => nameUuid(`bench-user-${seed}-${i}`));
  const at = new Date(baseTime - 60_000).toISOString();
  const accounts = users.map((u) => userAccountCommit(subjects, u, at));
  const orders: WorkOrder[] = [];
  for (let n = 0; n < orderCount; n++) orders.push(orderLife(subjects, users[n % userCount] as string, n, random, baseTime));
  return { users, accounts, orders, events: accounts.length + orderCount * 3 };
}
