// Commissions as Binance charges them (faqs/commission_faq.md): rate × what is received, rounded
// up to 8 decimals, in the received asset — or, with "pay fees in BNB", converted to BNB at the last
// prices and discounted (× 0.75), when the free BNB covers it.
import t from 'tap';
import { Big } from '../src/decimal.ts';
import { commissionFor } from '../src/engine/commission.ts';
import { engineSim, pinnedBtc, place, T0 } from './fixtures/engine.ts';

t.test('the received asset pays the rate, rounded up to 8 decimals', async (t) => {
  t.same(commissionFor({ received: new Big('0.123456789'), receivedAsset: 'BTC', rate: new Big('0.001') }), {
    amount: new Big('0.00012346'),
    asset: 'BTC',
    fromBnbBalance: false,
  });
});

t.test('in BNB: converted, discounted, taken from the BNB balance — or not at all without enough BNB', async (t) => {
  // Selling for 17491.25 USDT at 0.1 %: 17.49125 USDT; BNB at 260 USDT → 0.06727404 BNB × 0.75.
  const bnb = (free: string) => ({ multiplier: new Big('0.75'), free: new Big(free), toBnb: new Big(1).div(260) });
  const inBnb = commissionFor({ received: new Big('17491.25'), receivedAsset: 'USDT', rate: new Big('0.001'), bnb: bnb('1') });
  t.same(inBnb, { amount: new Big('17.49125').div(260).times('0.75').round(8, Big.roundUp), asset: 'BNB', fromBnbBalance: true });
  t.equal(inBnb.amount.toString(), '0.05045553', '17.49125 / 260 × 0.75 = 0.050455528…, rounded up');
  const short = commissionFor({ received: new Big('17491.25'), receivedAsset: 'USDT', rate: new Big('0.001'), bnb: bnb('0.05') });
  t.same(short, { amount: new Big('17.49125'), asset: 'USDT', fromBnbBalance: false }, 'not enough BNB: the full commission in USDT');
  const buyingBnb = commissionFor({
    received: new Big('2'),
    receivedAsset: 'BNB',
    rate: new Big('0.001'),
    bnb: { ...bnb('0'), toBnb: new Big(1) },
  });
  t.same(
    buyingBnb,
    { amount: new Big('0.0015'), asset: 'BNB', fromBnbBalance: false },
    'receiving BNB: the discounted fee comes out of it',
  );
});

t.test('an account paying in BNB: BTC bought arrives whole, the fee leaves the BNB balance', async (t) => {
  const sim = engineSim();
  pinnedBtc(sim);
  sim.market.pin('BNBUSDT', new Big('600'));
  sim.exchange.repin('BNBUSDT', T0);
  const account = sim.createAccount({ balances: { USDT: '100000', BNB: '1' }, payFeesInBnb: true });
  const { fills } = place(sim, account, T0, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.1' });
  const fee = fills.reduce((s, f) => s.plus(f.commission), new Big(0));
  t.ok(
    fills.every((f) => f.commissionAsset === 'BNB'),
    'every fill paid in BNB',
  );
  // 0.1 % of the BTC received, at BTC/BNB = 60000 / 600 = 100 (the last prices), 25 % off.
  for (const f of fills) t.equal(f.commission.toString(), f.qty.times('0.001').times(100).times('0.75').round(8, Big.roundUp).toString());
  t.equal(account.balances.freeOf('BTC').toString(), '0.1', 'nothing taken from the BTC');
  t.equal(account.balances.freeOf('BNB').toString(), new Big(1).minus(fee).toString());
  sim.setPayFeesInBnb(account, false);
  const { fills: after } = place(sim, account, T0, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.1' });
  t.ok(
    after.every((f) => f.commissionAsset === 'BTC'),
    'switched off: fees in the received asset again',
  );
});
