// The live connection: ticket → socket → auth → subscribe, kept alive and re-established with
// backoff. Framework-free (the socket, timers, randomness and the ticket fetch are injected) so the
// whole flow runs under test with fakes; a thin Svelte wrapper mirrors its state into runes.
//
// Recovery contract: any close, error, stale connection or failed ticket fetch schedules a new
// attempt (fresh ticket every time: they are single-use and short-lived) after backoffDelay; once
// `ready`, every wanted channel is subscribed again and held data stays on screen until each new
// snapshot replaces it. Only an expired session (the ticket endpoint says 401), repeated 4401
// closes or stop() end the retries.
import type { ClientMessage } from '@blotter/schemas';
import { backoffDelay } from './backoff.ts';
import type { OrderRow } from './channels.ts';
import { channelMessages, parseServerMessage } from './protocol.ts';
import {
  type AlertChange,
  awaitSnapshot,
  dropChannels,
  emptyState,
  type LiveState,
  type OrderChange,
  reduce,
  upsertOrders,
} from './reducer.ts';

/** The subset of the browser's WebSocket the client uses. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface Ticket {
  ticket: string;
  /** ws(s):// URL of the gateway's /api/ws. */
  url: string;
}

export type TicketResult = { ok: true; ticket: Ticket } | { ok: false; unauthenticated: boolean; message: string };

export interface LiveDeps {
  fetchTicket(): Promise<TicketResult>;
  openSocket(url: string): SocketLike;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  now(): number;
  random(): number;
}

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface LiveView {
  status: ConnectionStatus;
  /** Why the connection is not live, for the indicator's tooltip. */
  detail: string | null;
  /** The session is no longer valid: the page should send the user to log in again. */
  expired: boolean;
  state: LiveState;
}

/** WebSocket close code the gateway uses for a bad or expired token. */
export const CLOSE_UNAUTHORIZED = 4401;
/** Seconds-scale timings, in ms. */
export const PING_EVERY_MS = 20_000;
/** A connection silent this long (no message, no pong) is dead even if the browser has not noticed. */
export const STALE_AFTER_MS = 45_000;
/** Between opening the socket and `ready`. */
export const READY_TIMEOUT_MS = 10_000;
export const MAX_AUTH_FAILURES = 3;
/** Consecutive failed attempts after which the indicator says offline (retries go on, capped). */
export const OFFLINE_AFTER_ATTEMPTS = 5;

export class LiveClient {
  #deps: LiveDeps;
  #wanted = new Set<string>();
  #view: LiveView = { status: 'offline', detail: null, expired: false, state: emptyState() };
  #socket: SocketLike | null = null;
  #ready = false;
  #everConnected = false;
  #attempt = 0;
  #authFailures = 0;
  #running = false;
  #online = true;
  /** Bumped on every (re)connect so callbacks of an abandoned socket or ticket fetch do nothing. */
  #generation = 0;
  #retryTimer: unknown = null;
  #pingTimer: unknown = null;
  #readyTimer: unknown = null;
  #lastSeen = 0;
  #viewListeners = new Set<(view: LiveView) => void>();
  #orderListeners = new Set<(changes: OrderChange[]) => void>();
  #alertListeners = new Set<(changes: AlertChange[]) => void>();
  #log: (message: string) => void;

  constructor(deps: LiveDeps, log: (message: string) => void = () => {}) {
    this.#deps = deps;
    this.#log = log;
  }

  get view(): LiveView {
    return this.#view;
  }

  get wanted(): string[] {
    return [...this.#wanted];
  }

  onView(fn: (view: LiveView) => void): () => void {
    this.#viewListeners.add(fn);
    fn(this.#view);
    return () => this.#viewListeners.delete(fn);
  }

  onOrderChanges(fn: (changes: OrderChange[]) => void): () => void {
    this.#orderListeners.add(fn);
    return () => this.#orderListeners.delete(fn);
  }

  onAlertChanges(fn: (changes: AlertChange[]) => void): () => void {
    this.#alertListeners.add(fn);
    return () => this.#alertListeners.delete(fn);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    this.#authFailures = 0;
    void this.#connect();
  }

  stop(): void {
    this.#running = false;
    this.#teardown();
    this.#set({ status: 'offline', detail: 'Disconnected' });
  }

  /** The browser's online/offline events: no point retrying while the network is gone. */
  setNetwork(online: boolean): void {
    if (online === this.#online) return;
    this.#online = online;
    if (!this.#running) return;
    this.#teardown();
    if (online) {
      this.#attempt = 0;
      void this.#connect();
    } else {
      this.#set({ status: 'offline', detail: 'The browser is offline' });
    }
  }

  subscribe(channels: readonly string[]): void {
    const fresh = channels.filter((c) => !this.#wanted.has(c));
    if (fresh.length === 0) return;
    for (const c of fresh) this.#wanted.add(c);
    this.#set({ state: awaitSnapshot(this.#view.state, fresh) });
    if (this.#ready) for (const msg of channelMessages('subscribe', fresh)) this.#send(msg);
  }

  unsubscribe(channels: readonly string[]): void {
    const held = channels.filter((c) => this.#wanted.has(c));
    if (held.length === 0) return;
    for (const c of held) this.#wanted.delete(c);
    this.#set({ state: dropChannels(this.#view.state, held) });
    if (this.#ready) for (const msg of channelMessages('unsubscribe', held)) this.#send(msg);
  }

  /** Orders the REST API returned (placed, canceled), shown before the socket confirms them. */
  upsertOrders(orders: readonly OrderRow[]): void {
    this.#set({ state: upsertOrders(this.#view.state, orders) });
  }

  #set(patch: Partial<LiveView>): void {
    this.#view = { ...this.#view, ...patch };
    for (const fn of this.#viewListeners) fn(this.#view);
  }

  #send(msg: ClientMessage): void {
    try {
      this.#socket?.send(JSON.stringify(msg));
    } catch (err) {
      this.#log(`send failed: ${String(err)}`);
    }
  }

  async #connect(): Promise<void> {
    if (!this.#running || !this.#online) return;
    const generation = ++this.#generation;
    if (this.#attempt === 0) this.#set({ status: this.#everConnected ? 'reconnecting' : 'connecting' });
    let result: TicketResult;
    try {
      result = await this.#deps.fetchTicket();
    } catch (err) {
      result = { ok: false, unauthenticated: false, message: String(err) };
    }
    if (generation !== this.#generation || !this.#running) return;
    if (!result.ok) {
      if (result.unauthenticated) {
        this.#running = false;
        this.#set({ status: 'offline', detail: 'Your session has expired. Log in again.', expired: true });
        return;
      }
      this.#scheduleRetry(result.message);
      return;
    }
    const { ticket, url } = result.ticket;
    let socket: SocketLike;
    try {
      socket = this.#deps.openSocket(url);
    } catch (err) {
      this.#scheduleRetry(`cannot open ${url}: ${String(err)}`);
      return;
    }
    this.#socket = socket;
    const current = () => generation === this.#generation && this.#socket === socket;
    socket.onopen = () => {
      if (!current()) return;
      this.#lastSeen = this.#deps.now();
      this.#send({ type: 'auth', token: ticket });
      this.#readyTimer = this.#deps.setTimer(() => {
        if (current() && !this.#ready) this.#lost('no ready message after auth');
      }, READY_TIMEOUT_MS);
    };
    socket.onmessage = (ev) => {
      if (current()) this.#receive(ev.data);
    };
    socket.onclose = (ev) => {
      if (!current()) return;
      if (ev.code === CLOSE_UNAUTHORIZED) {
        this.#authFailures += 1;
        if (this.#authFailures >= MAX_AUTH_FAILURES) {
          this.#running = false;
          this.#teardown();
          this.#set({ status: 'offline', detail: 'The gateway refused the session. Log in again.', expired: true });
          return;
        }
      }
      this.#lost(`closed (${ev.code}${ev.reason ? ` ${ev.reason}` : ''})`);
    };
    socket.onerror = () => {
      // A close event always follows; recovery happens there.
    };
  }

  #receive(raw: unknown): void {
    this.#lastSeen = this.#deps.now();
    const msg = parseServerMessage(raw);
    if (!msg) {
      this.#log(`ignored a message that does not match the contract: ${String(raw).slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'ready': {
        this.#ready = true;
        this.#everConnected = true;
        this.#attempt = 0;
        this.#authFailures = 0;
        this.#clear('ready');
        const channels = [...this.#wanted];
        this.#set({ status: 'connected', detail: null, state: awaitSnapshot(this.#view.state, channels) });
        for (const m of channelMessages('subscribe', channels)) this.#send(m);
        this.#schedulePing();
        return;
      }
      case 'snapshot':
      case 'update': {
        const out = reduce(this.#view.state, msg);
        if (out.rejected) this.#log(out.rejected);
        if (out.state !== this.#view.state) this.#set({ state: out.state });
        if (out.resubscribe.length > 0) {
          // Unsubscribe first so a gateway that ignores a repeated subscribe still sends a snapshot.
          for (const m of channelMessages('unsubscribe', out.resubscribe)) this.#send(m);
          for (const m of channelMessages('subscribe', out.resubscribe)) this.#send(m);
        }
        if (out.orderChanges.length > 0) for (const fn of this.#orderListeners) fn(out.orderChanges);
        if (out.alertChanges.length > 0) for (const fn of this.#alertListeners) fn(out.alertChanges);
        return;
      }
      case 'error':
        this.#log(`gateway error ${msg.error.code}: ${msg.error.message}`);
        return;
      case 'pong':
      case 'unsubscribed':
        return;
      default: {
        const never: never = msg;
        this.#log(`unexpected message ${JSON.stringify(never)}`);
      }
    }
  }

  #schedulePing(): void {
    this.#pingTimer = this.#deps.setTimer(() => {
      if (!this.#ready) return;
      if (this.#deps.now() - this.#lastSeen > STALE_AFTER_MS) {
        this.#lost('no message from the gateway for too long');
        return;
      }
      this.#send({ type: 'ping' });
      this.#schedulePing();
    }, PING_EVERY_MS);
  }

  #clear(which: 'retry' | 'ping' | 'ready'): void {
    const handle = which === 'retry' ? this.#retryTimer : which === 'ping' ? this.#pingTimer : this.#readyTimer;
    if (handle !== null) this.#deps.clearTimer(handle);
    if (which === 'retry') this.#retryTimer = null;
    else if (which === 'ping') this.#pingTimer = null;
    else this.#readyTimer = null;
  }

  /** Abandons the current socket (without waiting for a close event that may never come). */
  #teardown(): void {
    this.#generation += 1;
    this.#clear('retry');
    this.#clear('ping');
    this.#clear('ready');
    this.#ready = false;
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onerror = null;
      socket.onclose = null;
      try {
        socket.close(1000, 'client closing');
      } catch {
        // already closed
      }
    }
  }

  #lost(reason: string): void {
    this.#teardown();
    this.#scheduleRetry(reason);
  }

  #scheduleRetry(reason: string): void {
    if (!this.#running) return;
    const delay = backoffDelay(this.#attempt, this.#deps.random);
    this.#attempt += 1;
    this.#log(`live connection: ${reason}; retrying in ${delay} ms`);
    this.#set({ status: this.#attempt > OFFLINE_AFTER_ATTEMPTS ? 'offline' : 'reconnecting', detail: reason });
    this.#retryTimer = this.#deps.setTimer(() => {
      this.#retryTimer = null;
      void this.#connect();
    }, delay);
  }
}
