// The standalone simulator (src/server.ts) killed with SIGKILL mid-session and started again on the
// same port and data directory: the same node-binance-api client keeps trading with the same
// balances and open orders, and every order the venue acknowledged before a kill is still there.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Binance from 'node-binance-api';
import t, { type Test } from 'tap';
import { AdminClient } from '../src/admin-client.ts';
import { binanceOptions, simUrls } from '../src/client-options.ts';
import { balanceOf } from './fixtures/sim.ts';
import { eventually } from '@blotter/test-kit/procs';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const TOKEN = 'restart-token';
const d = (s: string) => s as unknown as number;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts src/server.ts and resolves once it listens; `kill()` is a SIGKILL (no snapshot, no flush). */
async function startServer(t: Test, port: number, dataDir: string) {
  const child = spawn(process.execPath, ['--import', '@blotter/ts-loader/register', SERVER], {
    env: { PATH: process.env.PATH ?? '', SIM_PORT: String(port), SIM_ADMIN_TOKEN: TOKEN, SIM_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (err += b));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.teardown(() => {
    child.kill('SIGKILL');
    return exited;
  });
  await eventually(() => (/listening on/.test(out) ? true : undefined), 30_000, `server start (${err})`, 25);
  return {
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

t.test('SIGKILL mid-session: the same client keeps trading with the same balances and open orders', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sim-restart-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const admin = new AdminClient(url, TOKEN);
  let server = await startServer(t, port, dataDir);

  const account = await admin.createAccount({ USDT: '100000' });
  const client = new Binance({ ...binanceOptions(simUrls(url), account), log: () => {} });
  client.wsApi = simUrls(url).wsApiUrl;
  const resting = await client.buy('BTCUSDT', d('0.01'), d('30000.00'), { newClientOrderId: 'rest-1' });
  const market = await client.marketBuy('BTCUSDT', d('0.02'), { newClientOrderId: 'mkt-1' });
  t.equal(market.status, 'FILLED');
  const balancesBefore = [await balanceOf(client, 'USDT'), await balanceOf(client, 'BTC')];
  const tradesBefore = await client.myTrades('BTCUSDT');

  await server.kill();
  server = await startServer(t, port, dataDir);

  t.same([await balanceOf(client, 'USDT'), await balanceOf(client, 'BTC')], balancesBefore, 'the same balances, locked funds included');
  t.same(
    (await client.openOrders('BTCUSDT')).map((o: { clientOrderId: string; status: string }) => `${o.clientOrderId} ${o.status}`),
    ['rest-1 NEW'],
  );
  t.same(await client.myTrades('BTCUSDT'), tradesBefore, 'the same trades');
  t.match(await client.orderStatus('BTCUSDT', undefined, { origClientOrderId: 'mkt-1' }), { orderId: market.orderId, status: 'FILLED' });
  const after = await client.marketBuy('BTCUSDT', d('0.01'));
  t.equal(after.status, 'FILLED', 'the next order fills');
  t.ok(after.orderId > market.orderId, 'order ids continue');
  const newTradeId = (after.fills as { tradeId: number }[])[0]?.tradeId ?? 0;
  t.ok(newTradeId > (tradesBefore.at(-1)?.id ?? 0), 'trade ids continue');
  t.match(await client.cancel('BTCUSDT', resting.orderId), { status: 'CANCELED' });
  t.same((await balanceOf(client, 'USDT')).locked, '0.00000000');

  // Every acknowledged order survives a kill right after its acknowledgement.
  for (let i = 0; i < 2; i++) {
    const ack = await client.buy('BTCUSDT', d('0.01'), d('31000.00'), { newClientOrderId: `ack-${i}` });
    await server.kill();
    server = await startServer(t, port, dataDir);
    t.match(await client.orderStatus('BTCUSDT', ack.orderId), { clientOrderId: `ack-${i}`, status: 'NEW' }, `ack-${i} survived the kill`);
  }
  t.equal((await client.openOrders('BTCUSDT')).length, 2);
  await server.kill();
});
