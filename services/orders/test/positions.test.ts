import t from 'tap';
import { applyFill, flatPosition, type PositionFill, unrealizedPnl } from '../src/index.ts';

const f = (side: 'BUY' | 'SELL', quantity: string, price: string, fee = '0', feeAsset = 'USDT'): PositionFill => ({
  side,
  quantity,
  price,
  fee,
  feeAsset,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
});
const run = (...fills: PositionFill[]) => fills.reduce(applyFill, flatPosition());

t.test('regression vector the seed got wrong: buy 1 @ 100, sell 0.5 @ 120', async (t) => {
  t.same(run(f('BUY', '1', '100'), f('SELL', '0.5', '120')), { quantity: '0.5', avgEntryPrice: '100', realizedPnl: '10', fees: '0' });
});

t.test('buys re-average; sells realize against the average and keep it', async (t) => {
  const p = run(f('BUY', '1', '100'), f('BUY', '1', '200'));
  t.match(p, { quantity: '2', avgEntryPrice: '150' });
  const q = applyFill(p, f('SELL', '0.5', '120'));
  t.match(q, { quantity: '1.5', avgEntryPrice: '150', realizedPnl: '-15' });
  t.equal(unrealizedPnl(q, '160'), '15');
});

t.test('closing to zero resets the average; trading through zero opens at the trade price', async (t) => {
  t.match(run(f('BUY', '1', '100'), f('SELL', '1', '90')), { quantity: '0', avgEntryPrice: '0', realizedPnl: '-10' });
  const flipped = run(f('BUY', '1', '100'), f('SELL', '3', '110'));
  t.match(flipped, { quantity: '-2', avgEntryPrice: '110', realizedPnl: '10' });
  t.equal(unrealizedPnl(flipped, '100'), '20', 'a short gains when the price falls');
});

t.test('fees: quote fees reduce realized PnL; base fees also shrink the quantity', async (t) => {
  t.same(run(f('BUY', '1', '100', '0.1', 'USDT')), { quantity: '1', avgEntryPrice: '100', realizedPnl: '-0.1', fees: '0.1' });
  t.same(run(f('BUY', '1', '100', '0.001', 'BTC')), { quantity: '0.999', avgEntryPrice: '100', realizedPnl: '-0.1', fees: '0.1' });
  t.same(run(f('BUY', '1', '100', '0.001', 'BTC'), f('SELL', '0.999', '120', '0.11988', 'USDT')), {
    quantity: '0',
    avgEntryPrice: '0',
    realizedPnl: '19.76012',
    fees: '0.21988',
  });
});
