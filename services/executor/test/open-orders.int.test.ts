// The executor's index of a partition's open orders, on the real stream: folded from the order
// events, kept current while it follows, restored from its snapshot plus what came after it.
import t from 'tap';
import { type EventStore, ScopeRepository, SnapshotStore, uuidv7, silentLogger } from '@blotter/eventstore';
import { eventually, openTestStore } from '@blotter/test-kit';
import { type AccountState, accountAggregate, openAccount, placeOrderOnAccount, recordVenueReportOnAccount } from '@blotter/orders';
import { type DomainEvent, type OrderEvent, partitionOf, type PlaceOrder } from '@blotter/schemas';
import { OpenOrderIndex } from '../src/open-orders.ts';
import { BTCUSDT } from '@blotter/test-kit/fixtures';

const ctx = await openTestStore({ partitions: 2 });
t.teardown(ctx.close);
const { store } = ctx;
const accounts = ScopeRepository.forUsers<AccountState, DomainEvent>(store, accountAggregate);

/** A user in partition `p` with 100,000 USDT. */
async function userIn(p: number): Promise<string> {
  let id = uuidv7();
  while (partitionOf(id, store.partitions) !== p) id = uuidv7();
  const cmd = {
    commandId: `open-${id}`,
    userId: id,
    at: new Date().toISOString(),
    email: `${id.slice(-8)}@example.com`,
    venue: 'paper' as const,
    deposits: [{ asset: 'USDT', amount: '100000' }],
  };
  await accounts.decide(id, { subject: store.subjects.account(id), aggregateId: id, commitId: cmd.commandId, occurredAt: cmd.at }, (a) =>
    openAccount(cmd, a),
  );
  return id;
}

const on = (s: EventStore, userId: string, orderId: string, commitId: string, decide: (a: AccountState) => OrderEvent[]) =>
  accounts.decide(
    userId,
    { subject: s.subjects.order(userId, orderId), aggregateId: orderId, commitId, occurredAt: new Date().toISOString() },
    decide,
  );

async function place(userId: string): Promise<string> {
  const orderId = uuidv7();
  const cmd: PlaceOrder = {
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
    context: {
      symbolInfo: BTCUSDT,
      markPrice: '60000',
      limits: { maxNotional: '1000000', maxOpenOrders: 1000, ordersPerSecond: 1000, feeMargin: '0.001', marketSlippage: '0.05' },
      halted: false,
    },
  };
  await on(store, userId, orderId, cmd.commandId, (a) => placeOrderOnAccount(cmd, a, { status: 'NONE' }));
  return orderId;
}

const report = (userId: string, orderId: string, venueStatus: 'NEW' | 'CANCELED') => {
  const commandId = `r-${orderId}-${venueStatus}`;
  return on(store, userId, orderId, commandId, (a) =>
    recordVenueReportOnAccount(
      { commandId, orderId, at: new Date().toISOString(), venueOrderId: '1', venueStatus, fills: [], code: null, reason: null },
      a,
      null,
    ),
  );
};

t.test('an empty partition is caught up at once', async (t) => {
  const index = new OpenOrderIndex(store, 1, silentLogger);
  await index.start();
  t.same(index.list(), []);
  await index.stop();
});

t.test('the open orders of one partition, kept current while following, restored from a snapshot', async (t) => {
  const alice = await userIn(0);
  const bob = await userIn(0);
  const other = await userIn(1);
  const [a1, a2] = [await place(alice), await place(alice)];
  const b1 = await place(bob);
  await place(other);
  await report(alice, a1, 'NEW');
  await report(bob, b1, 'NEW');
  await report(bob, b1, 'CANCELED');

  const index = new OpenOrderIndex(store, 0, silentLogger, 3);
  await index.start();
  t.same(
    index
      .list()
      .map((o) => o.orderId)
      .sort(),
    [a1, a2].sort(),
    'open orders of partition 0 only; the canceled one is gone',
  );
  t.same(
    index.list(true).map((o) => o.orderId),
    [a1],
    'only the acknowledged one rests at the venue',
  );

  const a3 = await place(alice);
  await report(alice, a1, 'CANCELED');
  await eventually(
    () => (index.list().some((o) => o.orderId === a3) && !index.list().some((o) => o.orderId === a1) ? true : undefined),
    5_000,
    'the index to follow',
    25,
  );
  await index.stop();

  const saved = await new SnapshotStore(store).get('executor.open-orders.p0');
  t.ok(saved && saved.seq > 0, 'a snapshot was saved while following');
  const a4 = await place(alice);
  const restored = new OpenOrderIndex(store, 0, silentLogger);
  await restored.start();
  t.same(
    restored
      .list()
      .map((o) => o.orderId)
      .sort(),
    [a2, a3, a4].sort(),
    'snapshot plus the stream after it',
  );
  await restored.stop();
});
