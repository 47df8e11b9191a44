// The kill switch through the admin API: it needs the admin token, a halt denies new orders on
// every gateway at once, resume lifts it. (The CLI's halt is tested with the CLI.)
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { as, register, startStack } from '@blotter/test-kit';

const adminToken = randomBytes(24).toString('hex');
const stack = await startStack(t, { env: { gateway: { ADMIN_TOKEN: adminToken } } });
const { app } = stack;

const order = (quantity: string) => ({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity, price: '30000' });

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
