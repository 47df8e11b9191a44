// Realistic commits for read-model tests, produced by the real decider through the real store.
import { AggregateRepository, type EventStore, uuidv7 } from '@blotter/eventstore';
import { decideOrder, orderAggregate } from '@blotter/orders';
import type { OrderCommand, PlaceOrder } from '@blotter/schemas';

export const SYMBOL_INFO = {
  symbol: 'BTCUSDT',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  tickSize: '0.01',
  stepSize: '0.00001',
  minQty: '0.00001',
  maxQty: '9000',
  minPrice: '0.01',
  maxPrice: '1000000',
  minNotional: '5',
};

export async function openAccount(store: EventStore, userId: string, usdt = '100000'): Promise<number> {
  const ack = await store.append(
    {
      commitId: `open-${userId}`,
      subject: store.subjects.account(userId),
      aggregateId: userId,
      userId,
      occurredAt: new Date().toISOString(),
    },
    [
      {
        type: 'AccountOpened',
        data: { userId, email: `${userId.slice(0, 8)}@example.com`, venue: 'paper', deposits: [{ asset: 'USDT', amount: usdt }] },
      },
    ],
    0,
    null,
  );
  return ack.seq;
}

export function placeCommand(userId: string, orderId: string, o: Partial<PlaceOrder> = {}): PlaceOrder {
  return {
    commandId: `place-${orderId}`,
    orderId,
    at: new Date().toISOString(),
    userId,
    clientOrderId: null,
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.01',
    price: '60000',
    stopPrice: null,
    venue: 'paper',
    ...o,
    context: {
      symbolInfo: SYMBOL_INFO,
      markPrice: '60000',
      available: { USDT: '1000000', BTC: '1000' },
      openOrders: 0,
      limits: { maxNotional: '1000000', maxOpenOrders: 1000, feeMargin: '0.001', marketSlippage: '0.05' },
      halted: false,
    },
  };
}

export class Trader {
  readonly repo: AggregateRepository<ReturnType<typeof orderAggregate.initialState>, Parameters<typeof orderAggregate.evolve>[1]>;
  constructor(readonly store: EventStore) {
    this.repo = new AggregateRepository(store, orderAggregate);
  }

  async run(userId: string, orderId: string, command: OrderCommand) {
    return this.repo.handle(
      this.store.subjects.order(userId, orderId),
      { commitId: command.data.commandId, aggregateId: orderId, userId, occurredAt: command.data.at },
      (state) => decideOrder(command, state),
    );
  }

  async place(userId: string, o: Partial<PlaceOrder> = {}) {
    const orderId = uuidv7();
    await this.run(userId, orderId, { type: 'PlaceOrder', data: placeCommand(userId, orderId, o) });
    return orderId;
  }

  async fill(
    userId: string,
    orderId: string,
    tradeId: string,
    quantity: string,
    price: string,
    status: 'PARTIALLY_FILLED' | 'FILLED',
    charged: { fee: string; feeAsset: string; feeQuoteRate?: string } = { fee: '0', feeAsset: 'BTC' },
  ) {
    const at = new Date().toISOString();
    return this.run(userId, orderId, {
      type: 'RecordVenueReport',
      data: {
        commandId: `fill-${orderId}-${tradeId}`,
        orderId,
        at,
        venueOrderId: `v-${orderId.slice(0, 8)}`,
        venueStatus: status,
        fills: [{ tradeId, price, quantity, quoteQuantity: String(Number(price) * Number(quantity)), ...charged, at }],
        code: null,
        reason: null,
      },
    });
  }

  async cancel(userId: string, orderId: string) {
    const at = new Date().toISOString();
    await this.run(userId, orderId, { type: 'CancelOrder', data: { commandId: `cancel-${orderId}`, orderId, at, requestedBy: userId } });
    return this.run(userId, orderId, {
      type: 'RecordVenueReport',
      data: {
        commandId: `canceled-${orderId}`,
        orderId,
        at,
        venueOrderId: `v-${orderId.slice(0, 8)}`,
        venueStatus: 'CANCELED',
        fills: [],
        code: null,
        reason: null,
      },
    });
  }
}

/** Several users, each with orders that fill in two parts or get canceled. */
export async function seedTrading(store: EventStore, users: number, ordersPerUser: number): Promise<string[]> {
  const trader = new Trader(store);
  const ids = Array.from({ length: users }, () => uuidv7());
  await Promise.all(
    ids.map(async (userId) => {
      await openAccount(store, userId);
      for (let i = 0; i < ordersPerUser; i++) {
        const orderId = await trader.place(userId);
        if (i % 3 === 2) {
          await trader.cancel(userId, orderId);
          continue;
        }
        await trader.fill(userId, orderId, `${i}a`, '0.004', '59990', 'PARTIALLY_FILLED');
        await trader.fill(userId, orderId, `${i}b`, '0.006', '60000', 'FILLED');
      }
    }),
  );
  return ids;
}
