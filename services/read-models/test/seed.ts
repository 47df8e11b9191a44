// Realistic commits for read-model tests, produced by the real deciders through the real store
// (the account aggregate, under its scope's optimistic concurrency, as the services write them).
import { type EventStore, ScopeRepository, uuidv7 } from '@blotter/eventstore';
import {
  type AccountState,
  accountAggregate,
  cancelOrderOnAccount,
  openAccount as openAccountOn,
  placeOrderOnAccount,
  recordVenueReportOnAccount,
} from '@blotter/orders';
import type { DomainEvent, OrderEvent, PlaceOrder, RecordVenueReport } from '@blotter/schemas';
import { BTCUSDT } from '@blotter/test-kit/fixtures';

export const SYMBOL_INFO = BTCUSDT;

export async function openAccount(store: EventStore, userId: string, usdt = '100000'): Promise<number> {
  const open = {
    commandId: `open-${userId}`,
    userId,
    at: new Date().toISOString(),
    email: `${userId.slice(0, 8)}@example.com`,
    venue: 'paper' as const,
    deposits: [{ asset: 'USDT', amount: usdt }],
  };
  const target = { subject: store.subjects.account(userId), aggregateId: userId, commitId: open.commandId, occurredAt: open.at };
  const result = await ScopeRepository.forUsers<AccountState, DomainEvent>(store, accountAggregate).decide(userId, target, (account) =>
    openAccountOn(open, account),
  );
  return result.seq;
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
    ...o,
    context: {
      symbolInfo: SYMBOL_INFO,
      markPrice: '60000',
      limits: { maxNotional: '1000000', maxOpenOrders: 1000, ordersPerSecond: 1000, feeMargin: '0.001', marketSlippage: '0.05' },
      halted: false,
    },
  };
}

export class Trader {
  readonly accounts: ScopeRepository<AccountState, DomainEvent>;
  constructor(readonly store: EventStore) {
    this.accounts = ScopeRepository.forUsers(store, accountAggregate);
  }

  async run(userId: string, orderId: string, commandId: string, at: string, decide: (account: AccountState) => OrderEvent[]) {
    const target = { subject: this.store.subjects.order(userId, orderId), aggregateId: orderId, commitId: commandId, occurredAt: at };
    return this.accounts.decide(userId, target, decide);
  }

  private report(userId: string, orderId: string, report: RecordVenueReport) {
    return this.run(userId, orderId, report.commandId, report.at, (account) => recordVenueReportOnAccount(report, account, null));
  }

  async place(userId: string, o: Partial<PlaceOrder> = {}) {
    const orderId = uuidv7();
    const cmd = placeCommand(userId, orderId, o);
    await this.run(userId, orderId, cmd.commandId, cmd.at, (account) => placeOrderOnAccount(cmd, account, { status: 'NONE' }));
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
    return this.report(userId, orderId, {
      commandId: `fill-${orderId}-${tradeId}`,
      orderId,
      at,
      venueOrderId: `v-${orderId.slice(0, 8)}`,
      venueStatus: status,
      fills: [{ tradeId, price, quantity, quoteQuantity: String(Number(price) * Number(quantity)), ...charged, at }],
      code: null,
      reason: null,
    });
  }

  async cancel(userId: string, orderId: string) {
    const at = new Date().toISOString();
    const cancel = { commandId: `cancel-${orderId}`, orderId, at, requestedBy: userId };
    await this.run(userId, orderId, cancel.commandId, at, (account) => cancelOrderOnAccount(cancel, account));
    return this.report(userId, orderId, {
      commandId: `canceled-${orderId}`,
      orderId,
      at,
      venueOrderId: `v-${orderId.slice(0, 8)}`,
      venueStatus: 'CANCELED',
      fills: [],
      code: null,
      reason: null,
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
