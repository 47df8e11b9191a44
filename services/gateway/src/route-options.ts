import type { KeyRing } from '@blotter/accounts';
import type { GatewayConfig } from './config.ts';

/** What every route plugin receives from app.ts. */
export interface RouteOptions {
  config: GatewayConfig;
  keyRing: KeyRing;
  halted: () => boolean;
}
