import t from 'tap';
import { applyFill, flatPosition, type PositionFill, unrealizedPnl } from '../src/index.ts';

const f = (
  side: 'BUY' | 'SELL',
  quantity: string,
  price: string,
  fee = '0',
  feeAsset = 'USDT',
  feeQuoteRate?: string | null,
): PositionFill => ({
  side,
  quantity,
  price,
  fee,
  feeAsset,
  feeQuoteRate: feeQuoteRate !== undefined ? feeQuoteRate : feeAsset === 'USDT' ? '1' : feeAsset === 'BTC' ? price : null,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
});
const run = (...fills: PositionFill[]) => fills.reduce(applyFill, flatPosition());

t.test('regression vector the seed got wrong: buy 1 @ 100, sell 0.5 @ 120', async (t) => {
  t.same(run(f('BUY', '1', '100'), f('SELL', '0.5', '120')), {
    quantity: '0.5',
    avgEntryPrice: '100',
    realizedPnl: '10',
    fees: '0',
    feesByAsset: [],
  });
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
  t.same(run(f('BUY', '1', '100', '0.1', 'USDT')), {
    quantity: '1',
    avgEntryPrice: '100',
    realizedPnl: '-0.1',
    fees: '0.1',
    feesByAsset: [{ asset: 'USDT', amount: '0.1' }],
  });
  t.same(run(f('BUY', '1', '100', '0.001', 'BTC')), {
    quantity: '0.999',
    avgEntryPrice: '100',
    realizedPnl: '-0.1',
    fees: '0.1',
    feesByAsset: [{ asset: 'BTC', amount: '0.001' }],
  });
  t.same(run(f('BUY', '1', '100', '0.001', 'BTC'), f('SELL', '0.999', '120', '0.11988', 'USDT')), {
    quantity: '0',
    avgEntryPrice: '0',
    realizedPnl: '19.76012',
    fees: '0.21988',
    feesByAsset: [
      { asset: 'BTC', amount: '0.001' },
      { asset: 'USDT', amount: '0.11988' },
    ],
  });
});

t.test('a fee in a third asset (BNB) counts at the rate recorded with the fill; the quantity is untouched', async (t) => {
  // Buy 1 BTC @ 100 paying 0.00025 BNB at 400 USDT/BNB, sell it @ 120 paying 0.0003 BNB at 400.
  const bought = run(f('BUY', '1', '100', '0.00025', 'BNB', '400'));
  t.same(bought, {
    quantity: '1',
    avgEntryPrice: '100',
    realizedPnl: '-0.1',
    fees: '0.1',
    feesByAsset: [{ asset: 'BNB', amount: '0.00025' }],
  });
  t.same(applyFill(bought, f('SELL', '1', '120', '0.0003', 'BNB', '400')), {
    quantity: '0',
    avgEntryPrice: '0',
    realizedPnl: '19.78',
    fees: '0.22',
    feesByAsset: [{ asset: 'BNB', amount: '0.00055' }],
  });
  t.same(
    run(f('BUY', '1', '100', '0.00025', 'BNB', null)),
    { quantity: '1', avgEntryPrice: '100', realizedPnl: '0', fees: '0', feesByAsset: [{ asset: 'BNB', amount: '0.00025' }] },
    'without a rate (an event from before rates were recorded) the fee is listed, not valued',
  );
});
