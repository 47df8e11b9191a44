import t from 'tap';
import { Compile } from 'typebox/compile';
import { catalog, decodeEvent, EventDecodeError, OrderDenied, OrderFilled, OrderPlaced } from '../src/index.ts';

t.test('every catalog example matches its own schema', async (t) => {
  for (const entry of catalog) {
    t.ok(entry.examples.length > 0, `${entry.name} has an example`);
    const validator = Compile(entry.schema);
    for (const example of entry.examples) {
      t.ok(validator.Check(example), `${entry.name} example is valid: ${JSON.stringify(validator.Errors(example).slice(0, 2))}`);
    }
  }
});

t.test('formats and patterns are enforced', async (t) => {
  const bad = { ...OrderPlaced.examples[0], quantity: '1e-7' };
  t.throws(() => decodeEvent('OrderPlaced', 2, bad), EventDecodeError);
  const badTime = { orderId: '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a', venueOrderId: '1', acceptedAt: 'yesterday' };
  t.throws(() => decodeEvent('OrderAccepted', 1, badTime), EventDecodeError);
});

t.test('OrderPlaced v1 is upcast to v2 with assets derived from the symbol', async (t) => {
  const { baseAsset, quoteAsset, ...v1 } = OrderPlaced.examples[0] as Record<string, unknown>;
  const event = decodeEvent('OrderPlaced', 1, { ...v1, symbol: 'ETHUSDT' });
  t.equal(event.type, 'OrderPlaced');
  t.match(event.data, { baseAsset: 'ETH', quoteAsset: 'USDT', symbol: 'ETHUSDT' });
});

t.test('OrderDenied v1 is upcast to v2: the filter is read from the reason of a FILTER_FAILURE', async (t) => {
  const { filter, ...v1 } = OrderDenied.examples[1] as Record<string, unknown>;
  t.equal(filter, 'NOTIONAL');
  t.match(decodeEvent('OrderDenied', 1, v1).data, { code: 'FILTER_FAILURE', filter: 'NOTIONAL' });
  const lot = { ...v1, reason: 'LOT_SIZE: quantity 0.000015 is not a multiple of the step size 0.00001' };
  t.match(decodeEvent('OrderDenied', 1, lot).data, { filter: 'LOT_SIZE' });
  const unnamed = { ...v1, reason: 'no market price for BTCUSDT yet; use a LIMIT order' };
  t.equal((decodeEvent('OrderDenied', 1, unnamed).data as { filter: unknown }).filter, null);
  const balance = { ...v1, code: 'INSUFFICIENT_BALANCE', reason: 'LOT_SIZE: looks like a filter but is not one' };
  t.equal((decodeEvent('OrderDenied', 1, balance).data as { filter: unknown }).filter, null);
});

t.test('OrderFilled v1 is upcast to v2 with the rate that values its fee (unknown for a third asset)', async (t) => {
  const { feeQuoteRate, ...v1 } = OrderFilled.examples[0] as Record<string, unknown>;
  t.equal(feeQuoteRate, '63990');
  t.match(decodeEvent('OrderFilled', 1, v1).data, { feeAsset: 'BTC', feeQuoteRate: '63990.00' }, 'a base fee: the fill price');
  t.match(decodeEvent('OrderFilled', 1, { ...v1, fee: '0.6', feeAsset: 'USDT' }).data, { feeQuoteRate: '1' }, 'a quote fee: 1');
  const bnb = decodeEvent('OrderFilled', 1, { ...v1, fee: '0.0009', feeAsset: 'BNB' }).data as { feeQuoteRate: unknown };
  t.equal(bnb.feeQuoteRate, null, 'BNB: the rate at the time was not recorded');
});

t.test('unknown types and versions are decode errors', async (t) => {
  t.throws(() => decodeEvent('OrderTeleported', 1, {}), /unknown event type/);
  t.throws(() => decodeEvent('OrderPlaced', 3, {}), /no version 3/);
});
