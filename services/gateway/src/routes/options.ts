import type { KeyRing } from '@blotter/accounts';
import type { PendingReservations } from '../commands/pending.ts';
import type { GatewayConfig } from '../config.ts';

/** What every route plugin receives from app.ts. */
export interface RouteOptions {
  config: GatewayConfig;
  keyRing: KeyRing;
  pending: PendingReservations;
  halted: () => boolean;
}
