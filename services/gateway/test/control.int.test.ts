// The kill switch: a halt (CLI or admin API) denies new orders on every gateway at once, lets
// cancels through, and is on the record; resume lifts it.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { Context, main } from '@blotter/cli';
import { infraEnv } from '@blotter/eventstore/testing';
import { as, eventually, register, startStack } from './helper.ts';

const adminToken = randomBytes(24).toString('hex');
const stack = await startStack(t, { ADMIN_TOKEN: adminToken });
const { app } = stack;

function cli(...argv: string[]) {
  const lines: string[] = [];
  const sink = { write: (s: string) => void lines.push(s) };
  const ctx = new Context(
    { NATS_URL: infraEnv('NATS_URL'), DATABASE_URL: stack.databaseUrl, BLOTTER_NAMESPACE: stack.namespace },
    sink,
    sink,
  );
  return main(argv, ctx).then((code) => ({ code, output: lines.join('') }));
}

const order = (quantity: string) => ({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity, price: '30000' });

t.test('halt from the CLI: new orders denied with TRADING_HALTED, cancels still accepted; resume', async (t) => {
  const api = as(app, await register(app));
  const resting = (await api({ method: 'POST', url: '/api/orders', payload: order('0.001') })).json().order;
  const halted = await cli('halt', '--reason', 'venue incident drill');
  t.equal(halted.code, 0, halted.output);
  const denied = await eventually<{ error: { code: string } }>(async () => {
    const res = await api({ method: 'POST', url: '/api/orders', payload: order('0.002') });
    return res.statusCode === 422 ? res.json() : undefined;
  });
  t.equal(denied.error.code, 'TRADING_HALTED');
  t.equal((await api({ method: 'DELETE', url: `/api/orders/${resting.orderId}` })).statusCode, 202, 'cancels go through');
  t.equal((await cli('resume')).code, 0);
  await eventually(async () =>
    (await api({ method: 'POST', url: '/api/orders', payload: order('0.003') })).statusCode === 201 ? true : undefined,
  );
  const events = await cli('events', '--type', 'TradingHalted', '--json');
  t.match(JSON.parse(events.output), [{ type: 'TradingHalted', data: { reason: 'venue incident drill', by: /^cli:/ } }]);
});

t.test('the admin API needs the admin token, and halts too', async (t) => {
  t.equal((await app.inject({ method: 'POST', url: '/api/admin/halt', payload: { reason: 'x' } })).statusCode, 401);
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/admin/halt', payload: { reason: 'x' }, headers: { 'x-admin-token': 'wrong' } }))
      .statusCode,
    401,
  );
  const res = await app.inject({
    method: 'POST',
    url: '/api/admin/halt',
    payload: { reason: 'api drill' },
    headers: { 'x-admin-token': adminToken },
  });
  t.match(res.json(), { halted: true, reason: 'api drill' });
  const api = as(app, await register(app));
  t.equal((await api({ method: 'POST', url: '/api/orders', payload: order('0.001') })).json().error.code, 'TRADING_HALTED');
  const resumed = await app.inject({ method: 'POST', url: '/api/admin/resume', headers: { 'x-admin-token': adminToken } });
  t.equal(resumed.json().halted, false);
});
