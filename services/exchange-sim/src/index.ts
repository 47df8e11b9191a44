// In-process simulator for other packages' integration tests:
//   const sim = await startSimulator({ adminToken: 't' });
//   const acct = await sim.admin.createAccount();
//   const client = new Binance(sim.binanceOptions(acct)); client.wsApi = sim.wsApiUrl;
import { AdminClient } from './admin-client.ts';
import { buildApp } from './app.ts';
import { binanceOptions, type Credentials, type SimUrls, simUrls } from './client-options.ts';
import { DEFAULT_SEED, type Limits, type SimConfig } from './config.ts';
import type { FilterOverrides } from './market/symbols.ts';
import { Simulator } from './simulator.ts';

export interface StartOptions {
  adminToken: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: string;
  feeRate?: string;
  startingUsdt?: string;
  startingBalances?: Record<string, string>;
  /** Keep state here across restarts; unset = in memory (what other packages' tests want). */
  dataDir?: string;
  /** Raise (or lower) Binance's request and order limits for this instance. */
  limits?: Partial<Limits>;
  bnbFeeMultiplier?: string;
  payFeesInBnb?: boolean;
  filters?: Record<string, FilterOverrides>;
  logger?: boolean;
}

export interface RunningSimulator extends SimUrls {
  /** http://host:port, no trailing slash. */
  url: string;
  /** ws://host:port, the root Binance's official connector takes as its streams URL. */
  wsUrl: string;
  admin: AdminClient;
  /** Options for `new Binance(...)` from node-binance-api; also set `client.wsApi = wsApiUrl`. */
  binanceOptions(creds: Credentials, recvWindow?: number): ReturnType<typeof binanceOptions>;
  /** The venue, for assertions a black box cannot make. */
  simulator: Simulator;
  /** Stops serving, waits for the journal and writes a final snapshot. */
  close(): Promise<void>;
}

export async function startSimulator(options: StartOptions): Promise<RunningSimulator> {
  const config: SimConfig = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    adminToken: options.adminToken,
    seed: options.seed ?? DEFAULT_SEED,
    feeRate: options.feeRate ?? '0.001',
    startingUsdt: options.startingUsdt ?? '10000',
    ...(options.startingBalances ? { startingBalances: options.startingBalances } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.bnbFeeMultiplier ? { bnbFeeMultiplier: options.bnbFeeMultiplier } : {}),
    ...(options.payFeesInBnb !== undefined ? { payFeesInBnb: options.payFeesInBnb } : {}),
    ...(options.filters ? { filters: options.filters } : {}),
  };
  const sim = await Simulator.open(config);
  const app = buildApp(sim, { logger: options.logger ?? false });
  await app.listen({ port: config.port, host: config.host });
  sim.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  const urls = simUrls(url);
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    ...urls,
    admin: new AdminClient(url, config.adminToken),
    binanceOptions: (creds, recvWindow) => binanceOptions(urls, creds, recvWindow),
    simulator: sim,
    close: () => app.close(),
  };
}

export {
  AdminClient,
  AdminRequestError,
  type CreatedAccount,
  type CreatedKeyPairAccount,
  type FaultInput,
  type VenueOrder,
} from './admin-client.ts';
export { binanceOptions, type Credentials, pointClientAtSimulator, type SimUrls, simUrls } from './client-options.ts';
export { BINANCE_LIMITS, type Limits, loadConfig, type SimConfig } from './config.ts';
export type { FaultSpec } from './faults.ts';
export { Simulator } from './simulator.ts';
export { buildApp } from './app.ts';
export { describeSimulator, runSimulator, type Standalone } from './standalone.ts';
