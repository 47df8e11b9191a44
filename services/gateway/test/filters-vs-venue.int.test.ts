// The pre-trade filters against the venue's own enforcement (issue 18, defect 6). The symbol's
// filters come from the simulator's exchangeInfo through the market feed's mapping; each order is
// normalised and checked as the gateway does, then sent through the executor's venue adapter to the
// simulator anyway. At every filter's boundary: what the checks accept, the venue accepts, and
// what they deny, the venue refuses naming the same filter. (Only filters the simulator enforces
// are here; each filter's full rules are unit-tested in services/orders/test/filters.test.ts.)
import { randomUUID } from 'node:crypto';
import { type CreatedAccount, startSimulator } from '@blotter/exchange-sim';
import { createBinanceVenue, type VenueClient, VenueRejectedError } from '@blotter/executor/venue';
import { publicClient, toSymbols } from '@blotter/market';
import { checkFilters, checkOpenOrders, normalizeOrderDecimals, type OpenOrderCounts } from '@blotter/orders';
import type { OrderType, SymbolInfo } from '@blotter/schemas';
import t, { type Test } from 'tap';

const MARK = '60000';
// Binance's order-count limit (100 new orders per 10 s) is raised: the open-order test places 201
// orders at once, and what it checks is MAX_NUM_ORDERS, not the request rate.
const sim = await startSimulator({ adminToken: randomUUID(), limits: { ordersPer10s: 10_000 } });
t.teardown(() => sim.close());
await sim.admin.pinPrice('BTCUSDT', MARK);
const [info] = toSymbols(await publicClient({ kind: 'paper', simUrl: sim.url }).exchangeInfo(), ['BTCUSDT']);
if (!info) throw new Error('the simulator lists no BTCUSDT');

async function venueFor(t: Test, balances: Record<string, string>): Promise<VenueClient> {
  const account: CreatedAccount = await sim.admin.createAccount(balances);
  const venue = await createBinanceVenue({ apiKey: account.apiKey, apiSecret: account.apiSecret, kind: 'paper', baseUrl: sim.url });
  t.teardown(() => venue.close());
  return venue;
}

interface Terms {
  side: 'BUY' | 'SELL';
  type: Exclude<OrderType, 'TAKE_PROFIT_LIMIT'>;
  quantity: string;
  price?: string;
  stopPrice?: string;
}

/** What the venue says to the order as the executor would send it: accepted, or the error. */
type Sent = Omit<Terms, 'price' | 'stopPrice'> & { price: string | null; stopPrice: string | null };

async function atVenue(venue: VenueClient, o: Sent): Promise<{ accepted: true } | { code: number; message: string }> {
  try {
    await venue.placeOrder({
      symbol: 'BTCUSDT',
      side: o.side,
      type: o.type,
      quantity: o.quantity,
      price: o.price,
      stopPrice: o.stopPrice,
      timeInForce: o.type === 'MARKET' ? null : 'GTC',
      clientOrderId: randomUUID(),
    });
    return { accepted: true };
  } catch (err) {
    if (err instanceof VenueRejectedError) return { code: err.code, message: err.message };
    throw err;
  }
}

/** The gateway's verdict (normalise, then the filters) and the venue's, which must agree. */
async function agree(t: Test, venue: VenueClient, symbol: SymbolInfo, raw: Terms, expected: string | null, counts?: OpenOrderCounts) {
  const o = normalizeOrderDecimals({ ...raw, price: raw.price ?? null, stopPrice: raw.stopPrice ?? null });
  const failure = checkFilters(symbol, o, MARK) ?? (counts ? checkOpenOrders(symbol, o.type, counts) : null);
  const label = `${o.side} ${o.type} ${raw.quantity}${raw.price ? ` @ ${raw.price}` : ''}${raw.stopPrice ? ` stop ${raw.stopPrice}` : ''}`;
  t.equal(failure?.filter ?? null, expected, `${label}: ${failure ? `denied, ${failure.reason}` : 'accepted'} here`);
  const verdict = await atVenue(venue, {
    ...o,
    ...(o.price ? { price: o.price } : {}),
    ...(o.stopPrice ? { stopPrice: o.stopPrice } : {}),
  });
  if (!failure) t.same(verdict, { accepted: true }, `${label}: the venue accepts it too`);
  else if (/decimals/.test(failure.reason)) t.match(verdict, { code: -1111 }, `${label}: the venue refuses its precision`);
  else
    t.match(verdict, { code: -1013, message: `Filter failure: ${failure.filter}` }, `${label}: the venue refuses it for ${failure.filter}`);
}

t.test('at each filter boundary the checks and the venue agree', async (t) => {
  t.match(info, { maxNotional: '9000000', applyMinToMarket: true, applyMaxToMarket: false, marketLotSize: { maxQty: '120' } }, 'mirrored');
  const venue = await venueFor(t, { USDT: '20000000', BTC: '400' });
  const cases: [Terms, string | null][] = [
    [{ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '59000' }, null],
    [{ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '59000.005' }, 'PRICE_FILTER'],
    [{ side: 'SELL', type: 'LIMIT', quantity: '0.001', price: '1000000.01' }, 'PRICE_FILTER'],
    [{ side: 'SELL', type: 'STOP_LOSS_LIMIT', quantity: '0.001', price: '50000', stopPrice: '50000.001' }, 'PRICE_FILTER'],
    [{ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '12000' }, null],
    [{ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '11999.99' }, 'PERCENT_PRICE_BY_SIDE'],
    [{ side: 'SELL', type: 'LIMIT', quantity: '0.001', price: '300000' }, null],
    [{ side: 'SELL', type: 'LIMIT', quantity: '0.001', price: '300000.01' }, 'PERCENT_PRICE_BY_SIDE'],
    [{ side: 'BUY', type: 'LIMIT', quantity: '0.000015', price: '59000' }, 'LOT_SIZE'],
    [{ side: 'BUY', type: 'LIMIT', quantity: '0.000001', price: '59000' }, 'LOT_SIZE'],
    [{ side: 'BUY', type: 'LIMIT', quantity: '0.00100000000001', price: '59000' }, 'LOT_SIZE'],
    [{ side: 'BUY', type: 'LIMIT', quantity: '0.00100000000000', price: '59000.00000000000' }, null],
    [{ side: 'SELL', type: 'MARKET', quantity: '120' }, null],
    [{ side: 'SELL', type: 'MARKET', quantity: '120.00001' }, 'MARKET_LOT_SIZE'],
    [{ side: 'BUY', type: 'LIMIT', quantity: '0.0001', price: '50000' }, null],
    [{ side: 'BUY', type: 'LIMIT', quantity: '0.0001', price: '49999.99' }, 'NOTIONAL'],
    [{ side: 'BUY', type: 'MARKET', quantity: '0.0001' }, null],
    [{ side: 'BUY', type: 'MARKET', quantity: '0.00008' }, 'NOTIONAL'],
    [{ side: 'BUY', type: 'LIMIT', quantity: '150', price: '60000' }, null],
    [{ side: 'BUY', type: 'LIMIT', quantity: '150.00001', price: '60000' }, 'NOTIONAL'],
  ];
  for (const [terms, expected] of cases) {
    await sim.admin.pinPrice('BTCUSDT', MARK);
    await agree(t, venue, info, terms, expected);
  }
});

t.test('open-order limits: the 6th stop order and the 201st order are refused by both', async (t) => {
  const venue = await venueFor(t, { USDT: '100000', BTC: '1' });
  const counts = { onSymbol: 0, algoOnSymbol: 0, onVenue: 0, algoOnVenue: 0 };
  const stop: Terms = { side: 'SELL', type: 'STOP_LOSS_LIMIT', quantity: '0.001', price: '49990', stopPrice: '50000' };
  for (let i = 0; i < 5; i++) {
    await agree(t, venue, info, stop, null, counts);
    counts.onSymbol++;
    counts.algoOnSymbol++;
  }
  await agree(t, venue, info, stop, 'MAX_NUM_ALGO_ORDERS', counts);
  const limit: Terms = { side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '30000' };
  while (counts.onSymbol < 200) {
    t.same(await atVenue(venue, { ...limit, price: '30000', stopPrice: null }), { accepted: true }, `order ${counts.onSymbol + 1} rests`);
    counts.onSymbol++;
  }
  await agree(t, venue, info, limit, 'MAX_NUM_ORDERS', counts);
});
