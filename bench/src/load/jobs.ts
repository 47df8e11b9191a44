// What the main thread asks the load worker to do, and what it answers.
export interface LoadUser {
  userId: string;
  token: string;
}

export interface OrderBody {
  symbol: string;
  side: 'BUY' | 'SELL';
  type: 'MARKET' | 'LIMIT';
  quantity: string;
  price?: string;
  timeInForce?: 'GTC';
}

export type Setup =
  | { kind: 'throughput'; url: string; users: LoadUser[]; clients: number; order: OrderBody }
  | { kind: 'latency'; url: string; users: LoadUser[]; order: OrderBody }
  | { kind: 'fanout'; url: string; natsUrl: string; namespace: string; users: LoadUser[]; symbol: string };

export type RoundParams =
  | { kind: 'throughput'; round: number; warmupSeconds: number; seconds: number }
  | { kind: 'latency'; round: number; rate: number; seconds: number; drainSeconds: number }
  | { kind: 'fanout'; round: number; seconds: number; probesPerSecond: number; noticeBurstsPerSecond: number };

export interface ThroughputResult {
  accepted: number;
  seconds: number;
  statuses: Record<string, number>;
  /** Response times of the counted requests, ms. */
  latencies: number[];
}

export interface LatencyResult {
  offered: number;
  /** Offered rate actually achieved by the scheduler (orders sent / sending time). */
  achievedRate: number;
  /** POST → WebSocket update with status FILLED, ms. */
  latencies: number[];
  /** POST → HTTP response, ms. */
  httpLatencies: number[];
  statuses: Record<string, number>;
  unfilled: number;
}

export interface FanoutResult {
  /** publish → arrival of a ticker update, ms, one sample per client per probe. */
  ticker: number[];
  /** publish → arrival of an orders change notice on that user's socket, ms. */
  orders: number[];
  tickerExpected: number;
  ordersExpected: number;
}

export type WorkerRequest = { cmd: 'setup'; setup: Setup } | { cmd: 'round'; params: RoundParams } | { cmd: 'close' };

export type WorkerMessage =
  | { type: 'progress'; text: string }
  | { type: 'ready'; info: string }
  | { type: 'round'; result: ThroughputResult | LatencyResult | FanoutResult }
  | { type: 'closed' }
  | { type: 'error'; message: string };
