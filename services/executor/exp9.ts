import { startSimulator } from '@blotter/exchange-sim';
import { createBinanceVenue } from './src/venue/index.ts';
const mode = process.argv[2];
const sim = await startSimulator({ adminToken: 't' });
const account = await sim.admin.createAccount({ USDT: '10000' });
const venue = await createBinanceVenue({ apiKey: account.apiKey, apiSecret: account.apiSecret, kind: 'paper', baseUrl: sim.url, recvWindowMs: 1000, timeoutMs: 1500 });
await sim.admin.injectFault({ kind: 'delay', ms: 2500, path: '/api/v3/order', method: 'POST' });
try { await venue.placeOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '50000.00', stopPrice: null, timeInForce: 'GTC', clientOrderId: 'x1' }); } catch (e) { }
if (mode === 'query') await venue.queryOrder('BTCUSDT', 'x1');
if (mode === 'admin') await sim.admin.orders(account.apiKey, { clientOrderId: 'x1' });
const t1 = Date.now();
await sim.close();
console.log(mode, 'sim close took', Date.now() - t1);
