// One definition per Binance operation, served twice: as a REST route (http/rest.ts) and as a
// WebSocket API method (ws/ws-api.ts). Each declares its security type, its request weight and
// whether it places orders; the adapters do limits, authentication and framing, the `run` does the
// work. So the two APIs cannot drift apart, and the README table is generated from the same list.
import type { Account } from '../engine/accounts.ts';
import type { Params } from '../params.ts';
import type { Simulator } from '../simulator.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface PublicCall {
  sim: Simulator;
  params: Params;
  now: number;
}

export interface SignedCall extends PublicCall {
  account: Account;
}

interface Base {
  /** Binance's REST route, if the operation has one here. */
  rest?: { method: HttpMethod; path: string };
  /** Binance's WebSocket API method name. */
  ws?: string;
  /** Request weight (per IP), possibly depending on the parameters. */
  weight: number | ((p: Params) => number);
  /** Places orders: counts toward the unfilled order count and answers with X-MBX-ORDER-COUNT-*. */
  placesOrders?: boolean;
}

export type Endpoint =
  | (Base & { security: 'NONE'; run(call: PublicCall): unknown })
  | (Base & { security: 'TRADE' | 'USER_DATA'; run(call: SignedCall): unknown });

export const weightOf = (e: Endpoint, p: Params): number => (typeof e.weight === 'function' ? e.weight(p) : e.weight);
