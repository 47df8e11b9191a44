import { accountData } from './account-data.ts';
import type { Endpoint } from './endpoint.ts';
import { marketData } from './market-data.ts';
import { trading } from './trading.ts';

/** Every Binance operation the simulator serves, REST and WebSocket API alike. */
export const ENDPOINTS: readonly Endpoint[] = [...marketData, ...trading, ...accountData];
