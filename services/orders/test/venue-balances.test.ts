// Given / when / then: balances the venue changed outside Blotter's orders (deposits, withdrawals,
// syncs) and the rule that no free balance ever goes below zero, in the aggregate and in the
// effects the balances read model applies (the same `balanceEffects`).
import t from 'tap';
import type { AccountEvent, DomainEvent, RecordBalanceUpdate, SyncVenueBalances } from '@blotter/schemas';
import {
  type AccountState,
  balanceEffects,
  evolveAccount,
  initialAccountState,
  netEffects,
  OpenOrdersError,
  placeOrderOnAccount,
  recordBalanceUpdate,
  removeVenueKeys,
  removeVenueKeysWithHoldings,
  storeVenueKeys,
  shortfalls,
  syncVenueBalances,
} from '../src/index.ts';
import { AT, place, USER } from './fixtures.ts';

const opened: DomainEvent = {
  type: 'AccountOpened',
  data: { userId: USER, email: 'ada@example.com', venue: 'paper', deposits: [] },
};
const keys: DomainEvent = { type: 'VenueKeysStored', data: { userId: USER, venue: 'binance-testnet', keyFingerprint: '3f9a0c1d2e4b5a69' } };

function given(...events: DomainEvent[]): AccountState {
  return events.reduce(
    (s, e, i) => evolveAccount(s, e, { seq: i + 1, occurredAt: new Date(Date.parse(AT) + i).toISOString() }),
    initialAccountState(),
  );
}
const balances = (s: AccountState) => Object.fromEntries(Object.entries(s.balances).map(([a, b]) => [a, [b.free, b.locked]]));

const sync = (holdings: Record<string, string>, assets: string[] | null = null): SyncVenueBalances => ({
  commandId: 's',
  userId: USER,
  at: AT,
  venue: 'binance-testnet',
  holdings: Object.entries(holdings).map(([asset, total]) => ({ asset, total })),
  assets,
});
const update = (asset: string, delta: string, id = `bu-${asset}-${delta}`): RecordBalanceUpdate => ({
  commandId: 'u',
  userId: USER,
  at: AT,
  venue: 'binance-testnet',
  asset,
  delta,
  venueEventId: id,
});

t.test('a sync on new keys records what the venue holds; a second sync finds nothing to change', async (t) => {
  const account = given(opened, keys);
  const events = syncVenueBalances(sync({ USDT: '10000', BTC: '0.5' }), account);
  t.same(
    events.map(
      (e) => e.type === 'VenueBalanceChanged' && [e.data.asset, e.data.reason, e.data.delta, e.data.freeChange, e.data.venueTotal],
    ),
    [
      ['BTC', 'sync', '0.5', '0.5', '0.5'],
      ['USDT', 'sync', '10000', '10000', '10000'],
    ],
  );
  const after = given(opened, keys, ...events);
  t.same(balances(after), { BTC: ['0.5', '0'], USDT: ['10000', '0'] });
  t.same(syncVenueBalances(sync({ USDT: '10000', BTC: '0.5' }), after), [], 'already at the venue figure');
  t.same(
    syncVenueBalances(sync({ USDT: '10000' }), after).map((e) => e.type === 'VenueBalanceChanged' && [e.data.asset, e.data.delta]),
    [['BTC', '-0.5']],
    'an asset the venue no longer lists holds 0 there',
  );
});

t.test('a sync limited to some assets leaves the others alone', async (t) => {
  const account = given(opened, keys, ...syncVenueBalances(sync({ USDT: '100', BTC: '1' }), given(opened, keys)));
  const events = syncVenueBalances(sync({ USDT: '150', BTC: '3' }, ['USDT']), account);
  t.same(
    events.map((e) => e.type === 'VenueBalanceChanged' && [e.data.asset, e.data.delta]),
    [['USDT', '50']],
  );
});

t.test('deposits and withdrawals move free; a command for another venue or a closed account is ignored', async (t) => {
  const account = given(opened, keys);
  const deposit = recordBalanceUpdate(update('USDT', '250.5'), account);
  t.equal(deposit[0]?.type === 'VenueBalanceChanged' && deposit[0].data.reason, 'deposit');
  const funded = given(opened, keys, ...deposit);
  const withdrawal = recordBalanceUpdate(update('USDT', '-50.5'), funded);
  t.equal(withdrawal[0]?.type === 'VenueBalanceChanged' && withdrawal[0].data.reason, 'withdrawal');
  t.same(balances(given(opened, keys, ...deposit, ...withdrawal)), { USDT: ['200', '0'] });
  t.same(recordBalanceUpdate({ ...update('USDT', '1'), venue: 'paper' }, account), [], 'the keys of another venue');
  t.same(recordBalanceUpdate(update('USDT', '1'), initialAccountState()), [], 'no account');
  t.same(syncVenueBalances(sync({ USDT: '1' }), initialAccountState()), []);
  t.same(recordBalanceUpdate(update('USDT', '0'), account), [], 'a zero delta records nothing');
});

t.test('a withdrawal below what is locked leaves free at 0, records the shortfall, and the next order needing it is denied', async (t) => {
  const funded = given(opened, keys, ...recordBalanceUpdate(update('USDT', '1000'), given(opened, keys)));
  const placed = placeOrderOnAccount(place({ quantity: '0.01', price: '60000' }), funded, { status: 'NONE' });
  t.equal(placed[0]?.type, 'OrderPlaced');
  const open = given(opened, keys, ...recordBalanceUpdate(update('USDT', '1000'), given(opened, keys)), ...placed);
  t.same(balances(open).USDT, ['399.4', '600.6']);

  // The venue now holds 100 USDT: less than the 600.6 Blotter locked.
  const withdrawn = recordBalanceUpdate(update('USDT', '-900'), open);
  const e = withdrawn[0] as Extract<AccountEvent, { type: 'VenueBalanceChanged' }>;
  t.same([e.data.delta, e.data.freeChange, e.data.shortfall], ['-900', '-399.4', '500.6']);
  t.same(shortfalls(withdrawn), new Map([['USDT', '500.6']]), 'the caller is told to reconcile USDT');
  const after = given(opened, keys, ...recordBalanceUpdate(update('USDT', '1000'), given(opened, keys)), ...placed, ...withdrawn);
  t.same(balances(after).USDT, ['0', '600.6'], 'free is 0, never below');
  t.same(after.shortfalls, { USDT: '500.6' }, 'the account remembers the shortfall (a close then fetches the venue figure again)');
  const refunded = given(
    opened,
    keys,
    ...recordBalanceUpdate(update('USDT', '1000'), given(opened, keys)),
    ...placed,
    ...withdrawn,
    ...recordBalanceUpdate(update('USDT', '1000', 'bu-back'), after),
  );
  t.same(refunded.shortfalls, {}, 'a later balance change that leaves nothing short clears it');

  // The same through the read model's path: the effects never take free below 0.
  const net = netEffects([...placed, ...withdrawn].flatMap((x) => balanceEffects(x)));
  t.same(net.get('USDT'), { free: '-1000', locked: '600.6' }, 'from 1000 free: -600.6 locked away, -399.4 withdrawn');

  const next = placeOrderOnAccount(place({ commandId: 'c2', orderId: '0192f4a8-0000-7000-8000-0000000000b2', quantity: '0.001' }), after, {
    status: 'NONE',
  });
  t.equal(next[0]?.type, 'OrderDenied');
  t.equal(next[0]?.type === 'OrderDenied' && next[0].data.code, 'INSUFFICIENT_BALANCE');

  // A sync that finds the venue below the locked amount does the same.
  const synced = syncVenueBalances(sync({ USDT: '100' }, ['USDT']), open);
  const s = synced[0] as Extract<AccountEvent, { type: 'VenueBalanceChanged' }>;
  t.same([s.data.delta, s.data.freeChange, s.data.shortfall, s.data.venueTotal], ['-900', '-399.4', '500.6', '100']);
});

t.test("the venue changes only with no order open, and the balances become the new venue's", async (t) => {
  const onTestnet = given(opened, keys, ...recordBalanceUpdate(update('USDT', '1000'), given(opened, keys)));
  const placed = placeOrderOnAccount(place({ quantity: '0.01', price: '60000' }), onTestnet, { status: 'NONE' });
  const open = given(opened, keys, ...recordBalanceUpdate(update('USDT', '1000'), given(opened, keys)), ...placed);
  const removal = { commandId: 'r', userId: USER, at: AT };
  t.throws(() => removeVenueKeys(removal, open), OpenOrdersError, 'back to paper with an order resting on testnet');
  const toPaper = { commandId: 'k', userId: USER, at: AT, venue: 'paper' as const, keyFingerprint: '3f9a0c1d2e4b5a6a' };
  t.throws(() => storeVenueKeys(toPaper, open), OpenOrdersError, 'paper keys while an order rests on testnet');
  t.same(
    storeVenueKeys({ ...toPaper, venue: 'binance-testnet' }, open).map((e) => e.type),
    ['VenueKeysStored'],
    'new keys for the same venue are fine',
  );

  const events = removeVenueKeysWithHoldings(
    removal,
    [
      { asset: 'USDT', total: '10000' },
      { asset: 'BTC', total: '0.2' },
    ],
    onTestnet,
  );
  t.same(
    events.map((e) => (e.type === 'VenueBalanceChanged' ? [e.type, e.data.venue, e.data.asset, e.data.delta] : [e.type])),
    [['VenueKeysRemoved'], ['VenueBalanceChanged', 'paper', 'BTC', '0.2'], ['VenueBalanceChanged', 'paper', 'USDT', '9000']],
  );
  t.same(balances(given(opened, keys, ...recordBalanceUpdate(update('USDT', '1000'), given(opened, keys)), ...events)), {
    USDT: ['10000', '0'],
    BTC: ['0.2', '0'],
  });
  t.same(removeVenueKeysWithHoldings(removal, [{ asset: 'USDT', total: '1' }], given(opened)), [], 'already on paper: nothing');
});
