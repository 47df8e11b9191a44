// close() releases everything: a process that used the venue (REST, the user-data stream) and
// closed it ends by itself. And a subscription that cannot be made leaves nothing behind.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createBinanceVenue, VenueClosedError } from '../src/venue/index.ts';
import { VenueUnavailableError } from '../src/venue/types.ts';
import { venueFor, withSim } from './fixtures/venue-sim.ts';
import { rejectionOf } from './fixtures/rejection.ts';

t.test('a process that closed its venue exits on its own', async (t) => {
  const sim = await withSim(t);
  const account = await sim.admin.createAccount({ USDT: '1000' });
  const child = spawn(
    process.execPath,
    ['--import', '@blotter/ts-loader/register', fileURLToPath(new URL('./fixtures/venue-exit-child.ts', import.meta.url))],
    {
      env: { ...process.env, SIM_URL: sim.url, API_KEY: account.apiKey, API_SECRET: account.apiSecret },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  let closedAt = 0;
  child.stdout.on('data', () => {
    if (!closedAt && stdout.includes('closed')) closedAt = Date.now();
  });
  // Generous: on a loaded machine the child's own start (loading its TypeScript, the clock sync) takes a while. A handle
  // left open (a socket, a keep-alive timer of 30 s or more) would still hold it past the check below.
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  clearTimeout(killer);
  t.equal(signal, null, `not killed (stderr: ${stderr})`);
  t.equal(code, 0);
  t.match(stdout, /reports [1-9]/, 'the stream delivered');
  t.match(stdout, /closed/);
  t.ok(closedAt > 0 && Date.now() - closedAt < 10_000, `exited ${Date.now() - closedAt} ms after close()`);
});

t.test('after close() every call is refused without reaching the venue', async (t) => {
  const sim = await withSim(t);
  const venue = await venueFor(t, sim, await sim.admin.createAccount());
  await venue.close();
  t.type(await rejectionOf(venue.balances()), VenueClosedError);
  t.type(await rejectionOf(venue.subscribe({ onReport: () => {}, onReconnect: () => {} })), VenueClosedError);
  await venue.close();
  t.pass('close() twice is harmless');
});

t.test('a subscription the venue refuses fails with VenueUnavailableError', async (t) => {
  const sim = await withSim(t);
  const account = await sim.admin.createAccount();
  // REST works (the clock sync), but the WebSocket API answers nothing at this path.
  const venue = await createBinanceVenue({
    apiKey: account.apiKey,
    apiSecret: account.apiSecret,
    kind: 'paper',
    baseUrl: sim.url,
    wsApiUrl: `${sim.url.replace('http', 'ws')}/no-such-path`,
  });
  t.teardown(() => venue.close());
  t.type(await rejectionOf(venue.subscribe({ onReport: () => {}, onReconnect: () => {} })), VenueUnavailableError);
  t.ok(await venue.balances(), 'the client still works');
});
