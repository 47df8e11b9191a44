// Property: over random sequences of place / partial fill / fill / cancel / expiry / rejection for
// one account, the account aggregate's state equals a straightforward reference ledger after every
// step, and no free balance is ever below zero. The reference is written here from the rules as a
// trader states them, not from the aggregate's code. Seeded: a failure prints its seed.
import t, { type Test } from 'tap';
import type { DomainEvent, OrderEvent, RecordVenueReport } from '@blotter/schemas';
import {
  type AccountState,
  cancelOrderOnAccount,
  type Dec,
  dec,
  evolveAccount,
  initialAccountState,
  placeOrderOnAccount,
  recordVenueReportOnAccount,
  str,
} from '../src/index.ts';
import { AT, place, USER } from './fixtures.ts';

const FEE_MARGIN = '0.001';
const SLIPPAGE = '0.05';
const MARK = '60000';
const MAX_OPEN = 6;

/** A small deterministic generator (mulberry32), so every failure has a seed that replays it. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T,
  };
}

interface RefOrder {
  side: 'BUY' | 'SELL';
  quantity: Dec;
  filled: Dec;
  price: Dec | null;
  reservedAsset: string;
  reservedTotal: Dec;
  reservedLeft: Dec;
  status: 'open' | 'closed';
}

/** The reference: balances as a trader keeps them, one plain rule per event kind. */
class Ledger {
  free = new Map<string, Dec>([
    ['USDT', dec('10000')],
    ['BTC', dec('0.2')],
    ['BNB', dec('1')],
  ]);
  locked = new Map<string, Dec>();
  orders = new Map<string, RefOrder>();

  get = (m: Map<string, Dec>, a: string) => m.get(a) ?? dec(0);
  add = (m: Map<string, Dec>, a: string, v: Dec) => m.set(a, this.get(m, a).plus(v));
  openCount = () => [...this.orders.values()].filter((o) => o.status === 'open').length;

  /** What the order must lock: a BUY its notional plus the fee margin (plus slippage at market), a SELL its quantity. */
  reservation(side: 'BUY' | 'SELL', quantity: Dec, price: Dec | null): [string, Dec] {
    if (side === 'SELL') return ['BTC', quantity];
    const notional = quantity.times(price ?? MARK).times(dec(1).plus(FEE_MARGIN));
    return ['USDT', price ? notional : notional.times(dec(1).plus(SLIPPAGE))];
  }

  place(id: string, side: 'BUY' | 'SELL', quantity: Dec, price: Dec | null): 'placed' | 'denied' {
    const [asset, amount] = this.reservation(side, quantity, price);
    if (this.openCount() >= MAX_OPEN || this.get(this.free, asset).lt(amount)) return 'denied';
    this.add(this.free, asset, amount.neg());
    this.add(this.locked, asset, amount);
    this.orders.set(id, {
      side,
      quantity,
      filled: dec(0),
      price,
      reservedAsset: asset,
      reservedTotal: amount,
      reservedLeft: amount,
      status: 'open',
    });
    return 'placed';
  }

  fill(id: string, quantity: Dec, price: Dec, fee: Dec, feeAsset: string): void {
    const o = this.orders.get(id) as RefOrder;
    o.filled = o.filled.plus(quantity);
    const done = o.filled.eq(o.quantity);
    const release = done ? o.reservedLeft : o.reservedTotal.times(quantity).div(o.quantity);
    o.reservedLeft = o.reservedLeft.minus(release);
    this.add(this.locked, o.reservedAsset, release.neg());
    this.add(this.free, o.reservedAsset, release);
    const cost = quantity.times(price);
    if (o.side === 'BUY') {
      this.add(this.free, 'USDT', cost.neg());
      this.add(this.free, 'BTC', quantity);
    } else {
      this.add(this.free, 'BTC', quantity.neg());
      this.add(this.free, 'USDT', cost);
    }
    this.add(this.free, feeAsset, fee.neg());
    if (done) o.status = 'closed';
  }

  close(id: string): void {
    const o = this.orders.get(id) as RefOrder;
    this.add(this.locked, o.reservedAsset, o.reservedLeft.neg());
    this.add(this.free, o.reservedAsset, o.reservedLeft);
    o.reservedLeft = dec(0);
    o.status = 'closed';
  }
}

function compare(t: Test, seed: number, step: number, account: AccountState, ref: Ledger): boolean {
  const assets = new Set([...ref.free.keys(), ...ref.locked.keys(), ...Object.keys(account.balances)]);
  for (const asset of assets) {
    const b = account.balances[asset] ?? { free: '0', locked: '0' };
    const want = [str(ref.get(ref.free, asset)), str(ref.get(ref.locked, asset))];
    if (b.free !== want[0] || b.locked !== want[1]) {
      t.fail(`seed ${seed} step ${step}: ${asset} is ${b.free}/${b.locked}, the reference says ${want.join('/')}`);
      return false;
    }
    if (dec(b.free).lt(0) || dec(b.locked).lt(0)) {
      t.fail(`seed ${seed} step ${step}: ${asset} went below zero (${b.free}/${b.locked})`);
      return false;
    }
  }
  const refOpen = [...ref.orders]
    .filter(([, o]) => o.status === 'open')
    .map(([id]) => id)
    .sort();
  if (JSON.stringify(Object.keys(account.openOrders).sort()) !== JSON.stringify(refOpen)) {
    t.fail(`seed ${seed} step ${step}: open orders differ`);
    return false;
  }
  return true;
}

function runSequence(t: Test, seed: number, steps: number): boolean {
  const r = rng(seed);
  const ref = new Ledger();
  let account = initialAccountState();
  let seq = 0;
  let clock = Date.parse(AT);
  const apply = (events: readonly DomainEvent[]) => {
    seq++;
    clock += 250;
    for (const e of events) account = evolveAccount(account, e, { seq, occurredAt: new Date(clock).toISOString() });
  };
  apply([
    {
      type: 'AccountOpened',
      data: {
        userId: USER,
        email: 'ada@example.com',
        venue: 'paper',
        deposits: [...ref.free].map(([asset, amount]) => ({ asset, amount: str(amount) })),
      },
    },
  ]);
  const limits = { ...place().context.limits, maxOpenOrders: MAX_OPEN, feeMargin: FEE_MARGIN, marketSlippage: SLIPPAGE };
  let n = 0;
  const report = (orderId: string, r: Partial<RecordVenueReport>): RecordVenueReport => ({
    commandId: `r${seq}`,
    orderId,
    at: new Date(clock).toISOString(),
    venueOrderId: `v-${orderId.slice(-4)}`,
    venueStatus: 'NEW',
    fills: [],
    code: null,
    reason: null,
    ...r,
  });
  for (let step = 1; step <= steps; step++) {
    const open = [...ref.orders].filter(([, o]) => o.status === 'open');
    const action =
      open.length === 0 ? 'place' : r.pick(['place', 'place', 'fill', 'fill', 'partial', 'cancel', 'expire', 'reject'] as const);
    if (action === 'place') {
      const id = `0192f4a8-0000-7000-8000-${String(++n).padStart(12, '0')}`;
      const side = r.pick(['BUY', 'BUY', 'SELL'] as const);
      const market = r.next() < 0.3;
      const quantity = dec(r.int(1, 800)).times('0.0001');
      const price = market ? null : dec(r.int(55_000_00, 65_000_00)).div(100);
      const cmd = place(
        {
          orderId: id,
          commandId: `p${n}`,
          at: new Date(clock + 250).toISOString(),
          side,
          type: market ? 'MARKET' : 'LIMIT',
          quantity: str(quantity),
          price: price && str(price),
        },
        { markPrice: MARK, limits },
      );
      const events = placeOrderOnAccount(cmd, account, { status: 'NONE' });
      const expected = ref.place(id, side, quantity, price);
      if ((events[0]?.type === 'OrderPlaced') !== (expected === 'placed')) {
        t.fail(
          `seed ${seed} step ${step}: the aggregate ${events[0]?.type}, the reference ${expected} (${side} ${quantity} @ ${price ?? 'market'})`,
        );
        return false;
      }
      apply(events);
    } else {
      const [id, o] = r.pick(open);
      let events: OrderEvent[];
      if (action === 'fill' || action === 'partial') {
        const left = o.quantity.minus(o.filled);
        // A partial fill takes a tenth to nine tenths of what is left, on the 0.0001 step.
        const part = left.times(r.int(1, 9)).div(10).round(4, 0);
        const quantity = action === 'fill' || part.eq(0) ? left : part;
        // The venue's price: a BUY limit never fills above its limit, a market BUY within the slippage
        // its reservation allows; a SELL anywhere near the market.
        const ceiling = o.side === 'BUY' ? (o.price ?? dec(MARK).times(dec(1).plus(SLIPPAGE))) : dec('70000');
        const price = dec(r.int(50_000_00, Math.floor(Number(ceiling) * 100))).div(100);
        const cost = quantity.times(price);
        // Fees as Binance charges them: in BNB when the account holds enough, else a BUY pays in base
        // and a SELL in quote.
        const bnbFee = cost.times('0.00075').div(600).round(8, 0);
        const inBnb = r.next() < 0.3 && ref.get(ref.free, 'BNB').gte(bnbFee);
        const [fee, feeAsset] = inBnb
          ? [bnbFee, 'BNB']
          : o.side === 'BUY'
            ? [quantity.times('0.001'), 'BTC']
            : [cost.times('0.001'), 'USDT'];
        const done = quantity.eq(left);
        const tradeId = `t${seq}`;
        events = recordVenueReportOnAccount(
          report(id, {
            venueStatus: done ? 'FILLED' : 'PARTIALLY_FILLED',
            fills: [
              {
                tradeId,
                price: str(price),
                quantity: str(quantity),
                quoteQuantity: str(cost),
                fee: str(fee),
                feeAsset,
                at: new Date(clock).toISOString(),
              },
            ],
          }),
          account,
          null,
        );
        ref.fill(id, quantity, price, fee, feeAsset);
      } else if (action === 'cancel') {
        const requested = cancelOrderOnAccount(
          { commandId: `c${seq}`, orderId: id, at: new Date(clock).toISOString(), requestedBy: USER },
          account,
        );
        apply(requested);
        events = recordVenueReportOnAccount(report(id, { venueStatus: 'CANCELED' }), account, null);
        ref.close(id);
      } else {
        events = recordVenueReportOnAccount(
          report(id, { venueStatus: action === 'expire' ? 'EXPIRED' : 'REJECTED', venueOrderId: null }),
          account,
          null,
        );
        ref.close(id);
      }
      apply(events);
    }
    if (!compare(t, seed, step, account, ref)) return false;
  }
  return true;
}

t.test('the account equals the reference ledger after every step of 300 random sequences', async (t) => {
  const base = Number(process.env.LEDGER_SEED ?? Date.now() % 1_000_000);
  let passed = 0;
  for (let i = 0; i < 300; i++) if (runSequence(t, base + i, 60)) passed++;
  t.equal(passed, 300, `sequences from seed ${base} (LEDGER_SEED=${base} replays them)`);
});
