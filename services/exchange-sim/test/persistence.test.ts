// The data directory: a simulator reopened on it has the same accounts, keys, balances, orders
// (open ones back in the book, in the same queue order), trades and prevented matches, and hands
// out ids after the old ones. A torn last journal line (a crash mid-write) is dropped; damage
// anywhere else stops the boot.
import { setTimeout as sleep } from 'node:timers/promises';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { parseNewOrder } from '../src/api/order-request.ts';
import { Big } from '../src/decimal.ts';
import { Params } from '../src/params.ts';
import { Simulator } from '../src/simulator.ts';
import { JournalCorrupt } from '../src/store/journal.ts';
import { journalPath } from '../src/store/persistence.ts';

const config = (dataDir: string) => ({
  port: 0,
  host: '127.0.0.1',
  adminToken: 'x',
  seed: 'persist',
  feeRate: '0.001',
  startingUsdt: '10000',
  dataDir,
});

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'sim-data-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const order = (sim: Simulator, apiKey: string, params: Record<string, string>) => {
  const account = sim.accounts.find(apiKey);
  if (!account) throw new Error('no account');
  return sim.exchange.place(account, parseNewOrder(Params.fromObject({ symbol: 'BTCUSDT', ...params }), sim.market), sim.now());
};

/** Everything a client could see of an account, as plain strings. */
function view(sim: Simulator, apiKey: string) {
  const a = sim.accounts.find(apiKey);
  if (!a) return undefined;
  return {
    credential: a.credential,
    settings: a.settings,
    balances: a.balances.list().map((b) => `${b.asset} ${b.free} ${b.locked}`),
    orders: a.orders.map((o) => `${o.orderId} ${o.clientOrderId} ${o.status} ${o.origQty} ${o.executedQty} ${o.locked} ${o.bookSeq}`),
    open: a.openOrders().map((o) => o.orderId),
    trades: a.trades.map((x) => `${x.id} ${x.orderId} ${x.qty}@${x.price} ${x.commission} ${x.commissionAsset}`),
    prevented: a.prevented.map((p) => `${p.preventedMatchId} ${p.takerOrderId} ${p.makerOrderId}`),
  };
}

t.test('a clean restart keeps every account, order, trade and the book queue', async (t) => {
  const dir = tempDir(t);
  const first = await Simulator.open(config(dir));
  first.market.pin('BTCUSDT', new Big('60000'));
  first.exchange.repin('BTCUSDT', first.now());
  const alice = first.createAccount({ USDT: '100000', BTC: '1' });
  const bob = first.openAccount({ keyType: 'ED25519', balances: { BTC: '2' }, payFeesInBnb: true }).account;
  order(first, bob.apiKey, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.3', price: '60001', newClientOrderId: 'bob-1' });
  order(first, alice.apiKey, {
    side: 'SELL',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.2',
    price: '60001',
    newClientOrderId: 'alice-1',
  });
  order(first, alice.apiKey, { side: 'BUY', type: 'MARKET', quantity: '0.1', selfTradePreventionMode: 'EXPIRE_MAKER' });
  order(first, alice.apiKey, {
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.05',
    price: '59000',
    newClientOrderId: 'alice-2',
  });
  first.transfer(alice, 'ETH', new Big('3'));
  await first.flushed();
  const before = { alice: view(first, alice.apiKey), bob: view(first, bob.apiKey) };
  const lastOrderId = alice.orders.at(-1)?.orderId ?? 0;
  await first.close();

  const second = await Simulator.open(config(dir));
  t.same({ alice: view(second, alice.apiKey), bob: view(second, bob.apiKey) }, before, 'identical after the restart');
  t.same(
    second.exchange
      .book('BTCUSDT')
      .quotes('SELL')
      .flatMap((q) => (q.kind === 'user' ? [q.order.clientOrderId] : [])),
    ['bob-1', 'alice-1'],
    'the open orders are back in the book, in their queue order',
  );
  const next = order(second, alice.apiKey, { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.05', price: '59000' });
  t.ok(next.order.orderId > lastOrderId, 'order ids continue after the old ones');
  const restoredAlice = second.accounts.find(alice.apiKey);
  t.ok(
    restoredAlice && second.exchange.find(restoredAlice, 'BTCUSDT', { origClientOrderId: 'alice-2' }),
    'client ids still find their orders',
  );
  await second.close();
});

t.test('tiny amounts (a 0.0000002 BTC commission) survive a restart in plain notation', async (t) => {
  const dir = tempDir(t);
  const first = await Simulator.open(config(dir));
  first.market.pin('BTCUSDT', new Big('60000'));
  first.exchange.repin('BTCUSDT', first.now());
  const alice = first.createAccount({ USDT: '100000' });
  // 0.0002 BTC at a 0.1 % fee: 0.0000002 BTC, which big.js's toString writes as "2e-7".
  order(first, alice.apiKey, { side: 'BUY', type: 'MARKET', quantity: '0.0002' });
  await first.flushed();
  const before = view(first, alice.apiKey);
  t.match(before?.trades.join(), / 2e-7 BTC/, 'the engine holds the commission (big.js prints it with an exponent)');
  await first.close();
  t.notMatch(readFileSync(join(dir, 'snapshot.json'), 'utf8'), /"[0-9.]+e-[0-9]+"/, 'no exponent in the snapshot');
  const second = await Simulator.open(config(dir));
  t.same(view(second, alice.apiKey), before, 'the same account after the restart');
  await second.close();
});

t.test('without a clean shutdown the journal alone restores what was acknowledged', async (t) => {
  const dir = tempDir(t);
  const first = await Simulator.open(config(dir));
  const a = first.createAccount({ USDT: '5000' });
  order(first, a.apiKey, { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000' });
  order(first, a.apiKey, { side: 'BUY', type: 'MARKET', quantity: '0.001' });
  await first.flushed(); // acknowledged
  const before = view(first, a.apiKey);
  // No snapshot at the end: as if the process died here. A second simulator reads the same directory.
  await first.halt();
  const second = await Simulator.open(config(dir));
  t.same(view(second, a.apiKey), before);
  await second.close();
});

t.test('a torn last line is dropped; a damaged line before it stops the boot', async (t) => {
  const dir = tempDir(t);
  const first = await Simulator.open(config(dir));
  const a = first.createAccount({ USDT: '5000' });
  order(first, a.apiKey, { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000' });
  await first.flushed();
  await first.halt();
  const before = view(first, a.apiKey);
  appendFileSync(journalPath(dir), '{"n":99,"t":1,"coun');
  const second = await Simulator.open(config(dir));
  t.same(view(second, a.apiKey), before, 'the half-written record is ignored');
  order(second, a.apiKey, { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30001' });
  await second.flushed();
  await second.halt();
  const lines = readFileSync(journalPath(dir), 'utf8').split('\n');
  writeFileSync(journalPath(dir), ['{"broken": true}', ...lines].join('\n'));
  await t.rejects(Simulator.open(config(dir)), JournalCorrupt);
});

t.test('a journal past its size is compacted into the snapshot while orders keep coming', async (t) => {
  const dir = tempDir(t);
  const first = await Simulator.open({ ...config(dir), journalCompactBytes: 4000, limits: { ordersPer10s: 1000 } });
  const a = first.createAccount({ USDT: '100000' });
  const sizes: number[] = [];
  for (let i = 0; i < 60; i++) {
    order(first, a.apiKey, { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: String(30000 + i) });
    if (i % 10 === 9) {
      await first.flushed();
      sizes.push(statSync(journalPath(dir)).size);
    }
  }
  await first.flushed();
  await sleep(100);
  t.ok(
    sizes.some((s, i) => i > 0 && s < (sizes[i - 1] ?? 0)),
    `the journal shrank along the way (${sizes.join(', ')})`,
  );
  const before = view(first, a.apiKey);
  await first.halt();
  const second = await Simulator.open(config(dir));
  t.same(view(second, a.apiKey), before, 'snapshot + what the journal kept after it = everything');
  t.equal(second.accounts.find(a.apiKey)?.openOrders().length, 60);
  await second.close();
});

t.test('one simulator per data directory', async (t) => {
  const dir = tempDir(t);
  const first = await Simulator.open(config(dir));
  await t.rejects(Simulator.open(config(dir)), { name: 'DataDirLocked', message: /in use by another simulator/ });
  await first.close();
  const second = await Simulator.open(config(dir));
  await second.close();
});
