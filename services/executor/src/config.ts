import { parseEnv, StackSettings } from '@blotter/schemas';
import Type, { type Static } from 'typebox';

export const ExecutorConfig = Type.Object({
  NATS_URL: StackSettings.NATS_URL,
  DATABASE_URL: StackSettings.DATABASE_URL,
  BLOTTER_NAMESPACE: StackSettings.BLOTTER_NAMESPACE,
  STREAM_PARTITIONS: StackSettings.STREAM_PARTITIONS,
  STREAM_REPLICAS: StackSettings.STREAM_REPLICAS,
  KEY_ENCRYPTION_KEY: StackSettings.KEY_ENCRYPTION_KEY,
  KEY_ENCRYPTION_KEY_PREVIOUS: StackSettings.KEY_ENCRYPTION_KEY_PREVIOUS,
  /** The simulator that paper accounts trade on. */
  SIM_URL: Type.String({ default: 'http://127.0.0.1:3002' }),
  BINANCE_TESTNET_URL: StackSettings.BINANCE_TESTNET_URL,
  /** Binance's recvWindow for signed requests, ms; also bounds how long an unknown outcome stays unknown. */
  VENUE_RECV_WINDOW_MS: Type.Integer({ default: 5000, minimum: 1000, maximum: 60000 }),
  /** "auto" shares the partitions with other executors through leases; "all"; or a list "0,2". */
  EXECUTOR_PARTITIONS: Type.String({ default: 'auto', pattern: '^(auto|all|[0-9]+(,[0-9]+)*)$' }),
  /**
   * Identifies this instance in the leases; by default one of its own (host, pid, random). A stable
   * one per instance lets a restarted instance take its leases back without waiting for expiry.
   */
  INSTANCE_ID: Type.String({ default: '', pattern: '^[A-Za-z0-9_.-]*$' }),
  EXECUTOR_LEASE_TTL_MS: Type.Integer({ default: 15_000, minimum: 1000 }),
  EXECUTOR_MAX_IN_FLIGHT: Type.Integer({ default: 64, minimum: 1 }),
  EXECUTOR_ACK_WAIT_MS: Type.Integer({ default: 60_000, minimum: 5000 }),
  /** How often each resting order is polled besides the user-data stream, ms. */
  EXECUTOR_POLL_MS: Type.Integer({ default: 5000, minimum: 250 }),
  /** Reconciliation with the venue (also at start), ms. */
  EXECUTOR_RECONCILE_MS: Type.Integer({ default: 60_000, minimum: 1000 }),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type ExecutorConfig = Static<typeof ExecutorConfig>;
export const loadExecutorConfig = (env = process.env) => parseEnv(ExecutorConfig, env);
