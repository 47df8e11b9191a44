// The live client as Svelte state: one per logged-in browser tab, shared through context.
import { getContext, setContext } from 'svelte';
import { LiveClient, type LiveView, type SocketLike } from './client.ts';
import type { OrderRow } from './channels.ts';
import type { AlertChange, OrderChange } from './reducer.ts';
import { emptyState } from './reducer.ts';
import { fetchTicket } from './ticket.ts';

const KEY = Symbol('live');

/** The browser's WebSocket behind the client's SocketLike interface. */
function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const socket: SocketLike = {
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  ws.onopen = (ev) => socket.onopen?.(ev);
  ws.onmessage = (ev) => socket.onmessage?.({ data: ev.data });
  ws.onclose = (ev) => socket.onclose?.({ code: ev.code, reason: ev.reason });
  ws.onerror = (ev) => socket.onerror?.(ev);
  return socket;
}

export class Live {
  view: LiveView = $state.raw({ status: 'offline', detail: null, expired: false, state: emptyState() });
  #client: LiveClient;
  #stopView: () => void;

  constructor() {
    this.#client = new LiveClient(
      {
        fetchTicket: () => fetchTicket(fetch),
        openSocket: browserSocket,
        setTimer: (fn, ms) => setTimeout(fn, ms),
        clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
        now: () => Date.now(),
        random: Math.random,
      },
      (m) => console.warn(`[live] ${m}`),
    );
    this.#stopView = this.#client.onView((v) => {
      this.view = v;
    });
  }

  start(): void {
    this.#client.start();
  }

  stop(): void {
    this.#client.stop();
    this.#stopView();
  }

  setNetwork(online: boolean): void {
    this.#client.setNetwork(online);
  }

  subscribe(channels: readonly string[]): void {
    this.#client.subscribe(channels);
  }

  unsubscribe(channels: readonly string[]): void {
    this.#client.unsubscribe(channels);
  }

  upsertOrders(orders: readonly OrderRow[]): void {
    this.#client.upsertOrders(orders);
  }

  onOrderChanges(fn: (changes: OrderChange[]) => void): () => void {
    return this.#client.onOrderChanges(fn);
  }

  onAlertChanges(fn: (changes: AlertChange[]) => void): () => void {
    return this.#client.onAlertChanges(fn);
  }
}

/** The tab's connection, swapped when the user logs in or out without a full page load. */
export class LiveHolder {
  current: Live | null = $state.raw(null);
}

export const setLive = (holder: LiveHolder) => setContext(KEY, holder);
export const getLive = (): LiveHolder => getContext<LiveHolder>(KEY);
