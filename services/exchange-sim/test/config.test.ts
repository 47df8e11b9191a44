import t from 'tap';
import { ConfigError, DEFAULT_SEED, loadConfig } from '../src/config.ts';

t.test('SIM_ADMIN_TOKEN is required and the error names it', async (t) => {
  t.throws(() => loadConfig({}), { name: 'ConfigError', message: /SIM_ADMIN_TOKEN/ });
  t.throws(() => loadConfig({ SIM_ADMIN_TOKEN: '' }), ConfigError, 'blank counts as missing');
});

t.test('defaults', async (t) => {
  t.same(loadConfig({ SIM_ADMIN_TOKEN: 'x' }), {
    port: 3002,
    host: '127.0.0.1',
    adminToken: 'x',
    seed: DEFAULT_SEED,
    feeRate: '0.001',
    startingUsdt: '10000',
  });
});

t.test('values are converted and validated', async (t) => {
  const c = loadConfig({
    SIM_ADMIN_TOKEN: 'x',
    SIM_PORT: '4000',
    SIM_SEED: 's1',
    SIM_FEE_RATE: '0.00075',
    SIM_STARTING_USDT: '250.5',
    SIM_HOST: '0.0.0.0',
  });
  t.match(c, { port: 4000, seed: 's1', feeRate: '0.00075', startingUsdt: '250.5', host: '0.0.0.0' });
  t.throws(() => loadConfig({ SIM_ADMIN_TOKEN: 'x', SIM_PORT: 'eighty' }), /SIM_PORT/);
  t.throws(() => loadConfig({ SIM_ADMIN_TOKEN: 'x', SIM_PORT: '70000' }), /SIM_PORT/);
  t.throws(() => loadConfig({ SIM_ADMIN_TOKEN: 'x', SIM_FEE_RATE: '1.5' }), /SIM_FEE_RATE/);
  t.throws(() => loadConfig({ SIM_ADMIN_TOKEN: 'x', SIM_STARTING_USDT: '1e5' }), /SIM_STARTING_USDT/);
});
