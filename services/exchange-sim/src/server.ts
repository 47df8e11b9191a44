// Standalone simulator: `pnpm --filter @blotter/exchange-sim dev`, `make dev`, `blotter sim`.
// State lives in SIM_DATA_DIR (default .data/sim of the repository) and survives restarts.
import { configOrExit } from '@blotter/schemas';
import { loadConfig } from './config.ts';
import { describeSimulator, runSimulator } from './standalone.ts';

const config = configOrExit('exchange-sim', () => loadConfig(process.env));

const running = await runSimulator(config, (err) => {
  console.error(`exchange-sim: cannot write the journal, stopping: ${String(err)}`);
  process.exit(1);
});
console.log(describeSimulator(running.url, config));

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  console.log(`exchange-sim: ${signal} received, closing`);
  await running.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
