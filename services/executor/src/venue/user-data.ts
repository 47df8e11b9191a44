// The account's order updates over Binance's WebSocket API (userDataStream.subscribe.signature), via
// the library's spotGetDataStream(): it opens the connection, subscribes, and routes each event to
// the callbacks in `client.Options` (its userDataHandler unwraps `{subscriptionId, event}`).
//
// Reconnects are ours, not the library's: its own reconnect is immediate and unbounded (a storm
// against a venue that refuses connections) and it gives no signal besides calling the subscribed
// callback again. Here a lost connection is noticed by its close event, by `eventStreamTerminated`,
// or by a missed pong (half-open TCP never closes by itself); it is re-established with a doubling
// backoff, and `onReconnect` is called once the new subscription is confirmed — the caller then polls
// for what it may have missed while the stream was down.
//
// Two limits of the library: the connection id is fixed ("userData"), so one client has one stream;
// and the subscription is signed with the local clock (no server-time offset), so a local clock more
// than ~1 s ahead of the venue's (or behind by more than its recvWindow) makes subscribing fail.
import { backoffDelay } from '@blotter/eventstore/backoff';
import type Binance from 'node-binance-api';
import type { Logger } from '@blotter/eventstore/logger';
import { reportFromExecution } from './mapping.ts';
import { type VenueBalanceUpdate, type VenueOrderReport, VenueUnavailableError } from './types.ts';
import { parse } from './wire.ts';

export interface UserDataHandlers {
  onReport(report: VenueOrderReport): void;
  onReconnect(): void;
  onBalanceUpdate?(update: VenueBalanceUpdate): void;
}

export interface UserDataOptions {
  heartbeatMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** A connect + subscribe attempt that has not succeeded by then is abandoned (ms). */
  attemptTimeoutMs: number;
}

export const DEFAULT_USER_DATA = { heartbeatMs: 30_000, reconnectInitialMs: 500, reconnectMaxMs: 30_000 };

const CONNECTION_ID = 'userData';
const OPEN = 1;
const CLOSED = 3;

/** The part of the library's `ws` socket this module uses. */
interface Socket {
  readyState: number;
  ping(): void;
  terminate(): void;
  on(event: 'pong' | 'message', listener: () => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}

const isSocket = (v: unknown): v is Socket =>
  typeof v === 'object' &&
  v !== null &&
  'readyState' in v &&
  typeof v.readyState === 'number' &&
  'ping' in v &&
  typeof v.ping === 'function' &&
  'terminate' in v &&
  typeof v.terminate === 'function' &&
  'once' in v &&
  typeof v.once === 'function';

const closed = (ws: Socket): Promise<void> =>
  ws.readyState === CLOSED ? Promise.resolve() : new Promise((resolve) => ws.once('close', () => resolve()));

export class UserDataStream {
  private stopped = false;
  private socket: Socket | null = null;
  private attempt: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(
    private readonly client: Binance,
    private readonly handlers: UserDataHandlers,
    private readonly options: UserDataOptions,
    private readonly log: Logger,
  ) {}

  /** Resolves once subscribed; rejects with VenueUnavailableError (and leaves nothing open) if the first attempt fails. */
  async start(): Promise<void> {
    this.client.Options.execution_callback = (event: unknown) => this.onExecution(event);
    this.client.Options.all_updates_callback = (event: unknown) => this.onAnyEvent(event);
    try {
      await this.connect();
    } catch (err) {
      await this.stop();
      throw new VenueUnavailableError(`user-data subscription failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopHeartbeat();
    await this.closeSocket();
    await this.attempt?.catch(() => {});
    await this.closeSocket();
    this.client.Options.execution_callback = undefined;
    this.client.Options.all_updates_callback = undefined;
  }

  private connect(): Promise<void> {
    this.attempt = this.subscribeOnce().finally(() => {
      this.attempt = null;
    });
    return this.attempt;
  }

  private async subscribeOnce(): Promise<void> {
    // Abandons a connection that neither opens nor fails (a silently dropped SYN, a venue that
    // never answers the subscription): terminating it rejects spotGetDataStream.
    const timer = setTimeout(() => {
      this.log.warn({ timeoutMs: this.options.attemptTimeoutMs }, 'user-data subscription attempt timed out');
      this.client.terminateWsApi(CONNECTION_ID, false);
    }, this.options.attemptTimeoutMs);
    try {
      await this.client.spotGetDataStream();
    } catch (err) {
      await this.closeSocket();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    const ws: unknown = this.client.wsApiConnections[CONNECTION_ID];
    if (!isSocket(ws) || ws.readyState !== OPEN) throw new Error('the user-data connection closed while subscribing');
    this.socket = ws;
    if (this.stopped) {
      await this.closeSocket();
      return;
    }
    ws.once('close', () => this.onClosed(ws));
    this.startHeartbeat(ws);
    this.log.info({}, 'user-data stream subscribed');
  }

  private onClosed(ws: Socket): void {
    if (ws !== this.socket) return;
    this.socket = null;
    this.stopHeartbeat();
    if (this.stopped) return;
    this.log.warn({}, 'user-data stream lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const base = backoffDelay(this.failures, { initialMs: this.options.reconnectInitialMs, maxMs: this.options.reconnectMaxMs });
    // Jitter keeps many clients of one venue from reconnecting in lockstep.
    const delay = Math.round(base * (0.8 + 0.4 * Math.random()));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopped) return;
      this.connect().then(
        () => {
          if (this.stopped) return;
          this.failures = 0;
          this.notify('onReconnect', () => this.handlers.onReconnect());
        },
        (err: unknown) => {
          if (this.stopped) return;
          this.failures += 1;
          this.log.warn({ err, failures: this.failures }, 'user-data reconnect failed');
          this.scheduleReconnect();
        },
      );
    }, delay);
  }

  private async closeSocket(): Promise<void> {
    const ws: unknown = this.socket ?? this.client.wsApiConnections[CONNECTION_ID];
    this.socket = null;
    // reconnect=false: the library must not reopen what is being closed on purpose.
    this.client.terminateWsApi(CONNECTION_ID, false);
    // The library's close handler deletes the connection entry by id; waiting for it keeps that
    // delete from hitting the next connection.
    if (isSocket(ws)) await closed(ws);
  }

  private startHeartbeat(ws: Socket): void {
    let alive = true;
    const markAlive = () => {
      alive = true;
    };
    ws.on('pong', markAlive);
    ws.on('message', markAlive);
    this.heartbeat = setInterval(() => {
      if (!alive) {
        this.log.warn({ heartbeatMs: this.options.heartbeatMs }, 'user-data stream silent past a heartbeat; dropping it');
        ws.terminate();
        return;
      }
      alive = false;
      if (ws.readyState === OPEN) ws.ping();
    }, this.options.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private onExecution(event: unknown): void {
    let report: VenueOrderReport;
    try {
      report = reportFromExecution(parse.executionReport(event));
    } catch (err) {
      // A report we cannot read is a report missed: the caller reconciles exactly as after a drop.
      this.log.error({ err, event }, 'unreadable executionReport; asking the caller to poll');
      this.notify('onReconnect', () => this.handlers.onReconnect());
      return;
    }
    this.notify('onReport', () => this.handlers.onReport(report));
  }

  private onAnyEvent(event: unknown): void {
    if (typeof event === 'object' && event !== null && 'e' in event && event.e === 'balanceUpdate') {
      const onBalanceUpdate = this.handlers.onBalanceUpdate;
      if (!onBalanceUpdate) return;
      let update: VenueBalanceUpdate;
      try {
        const b = parse.balanceUpdate(event);
        update = { asset: b.a, delta: b.d, clearTime: b.T, eventTime: b.E };
      } catch (err) {
        // A deposit we cannot read is a deposit missed: the sync after a reconnect finds it.
        this.log.error({ err, event }, 'unreadable balanceUpdate; asking the caller to sync');
        this.notify('onReconnect', () => this.handlers.onReconnect());
        return;
      }
      this.notify('onBalanceUpdate', () => onBalanceUpdate(update));
      return;
    }
    if (typeof event === 'object' && event !== null && 'e' in event && event.e === 'eventStreamTerminated') {
      // The venue ended the subscription while the connection stays up: treat it as a drop.
      this.log.warn({}, 'venue terminated the user-data stream');
      this.socket?.terminate();
    }
  }

  private notify(what: string, call: () => void): void {
    try {
      call();
    } catch (err) {
      this.log.error({ err, handler: what }, 'user-data handler threw');
    }
  }
}
