// The price a MARKET BUY is bounded by at the venue: never above what its reservation pays for.
import t from 'tap';
import { dec, marketBuyPriceBound } from '../src/index.ts';

const info = { tickSize: '0.01', maxPrice: '1000000' };

t.test('the bound is the reserved quote over the quantity, down to the tick', async (t) => {
  const order = { quantity: '0.05', reservedInitial: '3679.801200075' };
  const bound = marketBuyPriceBound(order, info);
  t.equal(bound, '73596.02');
  t.ok(dec(bound).times(order.quantity).lte(order.reservedInitial), 'quantity × bound fits in the reservation');
});

t.test('a disabled tick (0) bounds at Binance finest precision; maxPrice caps it unless 0', async (t) => {
  t.equal(marketBuyPriceBound({ quantity: '3', reservedInitial: '100' }, { tickSize: '0', maxPrice: '0' }), '33.33333333');
  t.equal(marketBuyPriceBound({ quantity: '1', reservedInitial: '5000' }, { tickSize: '0.5', maxPrice: '1000.7' }), '1000.5');
});
