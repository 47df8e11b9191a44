// Standalone simulator: `pnpm --filter @blotter/exchange-sim dev`, `make dev`, `blotter sim`.
// State lives in SIM_DATA_DIR (default .data/sim of the repository) and survives restarts.
import { configOrExit } from '@blotter/schemas';
import { loadConfig } from './config.ts';
import { simUrls } from './client-options.ts';
import { describeSimulator, runSimulator } from './standalone.ts';

const config = configOrExit('exchange-sim', () => loadConfig(process.env));
// A person at a terminal gets the banner; under a supervisor (make dev, the test kit) the lines are
// JSON at info level like every service's, so they go to its log rather than the screen.
const say = (msg: string, fields: Record<string, string> = {}) =>
  console.log(process.stdout.isTTY ? msg : JSON.stringify({ level: 30, time: Date.now(), name: 'exchange-sim', msg, ...fields }));

const running = await runSimulator(config, (err) => {
  console.error(`exchange-sim: cannot write the journal, stopping: ${String(err)}`);
  process.exit(1);
});
if (process.stdout.isTTY) say(describeSimulator(running.url, config));
else {
  // The same addresses as the banner, as fields of the one line.
  const u = simUrls(running.url);
  say(`exchange-sim listening on ${running.url}`, {
    restApi: `${running.url}/api/v3`,
    wsApi: u.wsApiUrl,
    streams: u.streamUrl,
    admin: `${running.url}/admin/accounts`,
  });
}

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  say(`exchange-sim: ${signal} received, closing`);
  await running.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
