import t from 'tap';
import { ConfigError, DEFAULT_DATA_DIR, DEFAULT_SEED, loadConfig } from '../src/config.ts';

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
    dataDir: DEFAULT_DATA_DIR,
    limits: {},
  });
  t.match(DEFAULT_DATA_DIR, /\/\.data\/sim$/, "the repository's .data/sim");
  t.notOk('dataDir' in loadConfig({ SIM_ADMIN_TOKEN: 'x', SIM_DATA_DIR: ':memory:' }), ':memory: keeps nothing on disk');
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
  t.match(
    loadConfig({
      SIM_ADMIN_TOKEN: 'x',
      SIM_STARTING_BALANCES: 'USDT=500,BNB=2.5',
      SIM_REQUEST_WEIGHT_1M: '120000',
      SIM_ORDERS_10S: '5000',
      SIM_ORDERS_1D: '9000000',
      SIM_RAW_REQUESTS_5M: '100',
      SIM_BNB_FEE_MULTIPLIER: '0.75',
      SIM_PAY_FEES_IN_BNB: 'true',
      SIM_DATA_DIR: '/tmp/sim-x',
    }),
    {
      startingBalances: { USDT: '500', BNB: '2.5' },
      limits: { requestWeightPerMinute: 120000, ordersPer10s: 5000, ordersPerDay: 9000000, rawRequestsPer5m: 100 },
      bnbFeeMultiplier: '0.75',
      payFeesInBnb: true,
      dataDir: '/tmp/sim-x',
    },
  );
  t.throws(() => loadConfig({ SIM_ADMIN_TOKEN: 'x', SIM_STARTING_BALANCES: 'USDT=-5' }), /SIM_STARTING_BALANCES/);
  t.throws(() => loadConfig({ SIM_ADMIN_TOKEN: 'x', SIM_ORDERS_10S: '0' }), /SIM_ORDERS_10S/);
  t.throws(() => loadConfig({ SIM_ADMIN_TOKEN: 'x', SIM_BNB_FEE_MULTIPLIER: '1.5' }), /SIM_BNB_FEE_MULTIPLIER/);
});
