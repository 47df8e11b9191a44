// The kill switch from the CLI: `blotter halt` denies new orders on the gateways at once, lets
// cancels through and is on the record; `blotter resume` lifts it.
import t from 'tap';
import { as, eventually, register, startStack } from '@blotter/test-kit';
import { blotter } from './support.ts';

const stack = await startStack(t);
const { app } = stack;

const order = (quantity: string) => ({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity, price: '30000' });

t.test('halt from the CLI: new orders denied with TRADING_HALTED, cancels still accepted; resume', async (t) => {
  const api = as(app, await register(app));
  const resting = (await api({ method: 'POST', url: '/api/orders', payload: order('0.001') })).json().order;
  const halted = await blotter(stack, 'halt', '--reason', 'venue incident drill');
  t.equal(halted.code, 0, halted.out + halted.err);
  const denied = await eventually<{ error: { code: string } }>(async () => {
    const res = await api({ method: 'POST', url: '/api/orders', payload: order('0.002') });
    return res.statusCode === 422 ? res.json() : undefined;
  });
  t.equal(denied.error.code, 'TRADING_HALTED');
  t.equal((await api({ method: 'DELETE', url: `/api/orders/${resting.orderId}` })).statusCode, 202, 'cancels go through');
  t.equal((await blotter(stack, 'resume')).code, 0);
  await eventually(async () =>
    (await api({ method: 'POST', url: '/api/orders', payload: order('0.003') })).statusCode === 201 ? true : undefined,
  );
  const events = await blotter(stack, 'events', '--type', 'TradingHalted', '--json');
  t.match(JSON.parse(events.out), [{ type: 'TradingHalted', data: { reason: 'venue incident drill', by: /^cli:/ } }]);
});
