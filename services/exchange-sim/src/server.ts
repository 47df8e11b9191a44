// Standalone simulator: `pnpm --filter @blotter/exchange-sim dev`. All state is in memory and is
// lost on restart.
import { buildApp } from './app.ts';
import { configOrExit } from '@blotter/schemas';
import { loadConfig } from './config.ts';
import { Simulator } from './simulator.ts';

const config = configOrExit('exchange-sim', () => loadConfig(process.env));

const sim = new Simulator(config);
const app = buildApp(sim, { logger: false });
const url = await app.listen({ port: config.port, host: config.host });
sim.start();
console.log(`exchange-sim listening on ${url} (REST ${url}/api/v3, WS API ${url.replace(/^http/, 'ws')}/ws-api/v3, seed "${config.seed}")`);

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  console.log(`exchange-sim: ${signal} received, closing`);
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
