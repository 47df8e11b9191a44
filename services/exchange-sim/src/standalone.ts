// The simulator as its own process (server.ts, and the CLI's `blotter sim`): open the data
// directory, listen, tick, and say where everything is.
import { buildApp } from './app.ts';
import { simUrls } from './client-options.ts';
import type { SimConfig } from './config.ts';
import { Simulator } from './simulator.ts';

export interface Standalone {
  url: string;
  simulator: Simulator;
  close(): Promise<void>;
}

export async function runSimulator(config: SimConfig, onJournalFailure: (err: unknown) => void): Promise<Standalone> {
  const simulator = await Simulator.open(config, onJournalFailure);
  const app = buildApp(simulator, { logger: false });
  const url = await app.listen({ port: config.port, host: config.host });
  simulator.start();
  return { url, simulator, close: () => app.close() };
}

/** The startup banner: where to point a Binance client, and how to get a funded account. */
export function describeSimulator(url: string, config: SimConfig): string {
  const u = simUrls(url);
  return [
    `exchange-sim listening on ${url} (seed "${config.seed}", data ${config.dataDir ?? 'in memory only'})`,
    `  REST API          ${url}/api/v3/...`,
    `  WebSocket API     ${u.wsApiUrl}`,
    `  market streams    ${u.streamUrl.replace(/\/$/, '')}/<stream>  and  ${u.combineStreamUrl}<a>/<b>`,
    '  a funded account  curl -s -X POST -H "Authorization: Bearer $SIM_ADMIN_TOKEN" -H "content-type: application/json" \\',
    `                      -d '{}' ${url}/admin/accounts      (→ apiKey, apiSecret, balances)`,
  ].join('\n');
}
