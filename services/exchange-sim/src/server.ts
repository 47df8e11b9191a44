// Standalone simulator: `pnpm --filter @blotter/exchange-sim dev`, `make dev`, `blotter sim`.
// State lives in SIM_DATA_DIR (default .data/sim of the repository) and survives restarts.
import { configOrExit } from '@blotter/schemas';
import { loadConfig } from './config.ts';
import { describeSimulator, runSimulator } from './standalone.ts';

const config = configOrExit('exchange-sim', () => loadConfig(process.env));
// A person at a terminal gets the banner; under a supervisor (make dev, the test kit) the lines are
// JSON at info level like every service's, so they go to its log rather than the screen.
const say = (msg: string) =>
  console.log(process.stdout.isTTY ? msg : JSON.stringify({ level: 30, time: Date.now(), name: 'exchange-sim', msg }));

const running = await runSimulator(config, (err) => {
  console.error(`exchange-sim: cannot write the journal, stopping: ${String(err)}`);
  process.exit(1);
});
say(process.stdout.isTTY ? describeSimulator(running.url, config) : `exchange-sim listening on ${running.url}`);

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
