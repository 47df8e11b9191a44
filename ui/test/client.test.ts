// The live connection's flow, driven with a fake socket, fake timers and a fake ticket endpoint.
import t from 'tap';
import {
  CLOSE_UNAUTHORIZED,
  LiveClient,
  type LiveDeps,
  type LiveView,
  OFFLINE_AFTER_ATTEMPTS,
  PING_EVERY_MS,
  READY_TIMEOUT_MS,
  type SocketLike,
  STALE_AFTER_MS,
  type TicketResult,
} from '../src/lib/live/client.ts';
import { ordersOf } from '../src/lib/live/reducer.ts';
import { order } from './fixtures.ts';

class FakeSocket implements SocketLike {
  sent: unknown[] = [];
  closed: { code?: number; reason?: string } | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
  }
  // test helpers: what the gateway does
  open() {
    this.onopen?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code = 1006, reason = '') {
    this.onclose?.({ code, reason });
  }
}

function harness(tickets: TicketResult[] = []) {
  let now = 0;
  let timers: { id: number; at: number; fn: () => void }[] = [];
  let nextId = 1;
  const sockets: FakeSocket[] = [];
  const ticketCalls: number[] = [];
  let ticketNo = 0;
  const deps: LiveDeps = {
    fetchTicket: async () => {
      ticketCalls.push(now);
      ticketNo += 1;
      return tickets.shift() ?? { ok: true, ticket: { ticket: `ticket-${ticketNo}`, url: 'ws://gw/api/ws' } };
    },
    openSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.push({ id, at: now + ms, fn });
      return id;
    },
    clearTimer: (h) => {
      timers = timers.filter((x) => x.id !== h);
    },
    now: () => now,
    random: () => 0.5,
  };
  const views: LiveView[] = [];
  const client = new LiveClient(deps);
  client.onView((v) => views.push(v));
  const flush = () => new Promise((r) => setImmediate(r));
  /** Moves the clock, firing due timers in order, letting promises settle after each. */
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((x) => x.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((x) => x !== due);
      now = due.at;
      due.fn();
      await flush();
    }
    now = until;
    await flush();
  };
  const last = () => {
    const s = sockets.at(-1);
    if (!s) throw new Error('no socket opened');
    return s;
  };
  return { client, sockets, ticketCalls, views, flush, advance, last, pending: () => timers.length };
}

const connectReady = async (h: ReturnType<typeof harness>) => {
  await h.flush();
  h.last().open();
  h.last().receive({ type: 'ready', userId: 'u' });
};

t.test('ticket → auth as the first message → ready → subscribe everything wanted', async (t) => {
  const h = harness();
  h.client.subscribe(['orders', 'balances']);
  h.client.start();
  t.equal(h.client.view.status, 'connecting');
  await h.flush();
  t.equal(h.ticketCalls.length, 1);
  const s = h.last();
  t.equal(s.url, 'ws://gw/api/ws');
  s.open();
  t.same(s.sent, [{ type: 'auth', token: 'ticket-1' }], 'nothing before auth');
  s.receive({ type: 'ready' });
  t.equal(h.client.view.status, 'connected');
  t.same(s.sent.slice(1), [{ type: 'subscribe', channels: ['orders', 'balances'] }]);
  h.client.subscribe(['ticker:BTCUSDT', 'orders']);
  t.same(s.sent.at(-1), { type: 'subscribe', channels: ['ticker:BTCUSDT'] }, 'only new channels are sent');
  h.client.unsubscribe(['ticker:BTCUSDT']);
  t.same(s.sent.at(-1), { type: 'unsubscribe', channels: ['ticker:BTCUSDT'] });
  h.client.stop();
});

t.test('snapshots and updates flow into the state; order changes reach listeners', async (t) => {
  const h = harness();
  const changes: string[] = [];
  h.client.onOrderChanges((c) => changes.push(...c.map((x) => `${x.prev?.status ?? '-'}→${x.next.status}`)));
  h.client.subscribe(['orders']);
  h.client.start();
  await connectReady(h);
  h.last().receive({ type: 'snapshot', channel: 'orders', version: 5, data: [order({ version: 5 })] });
  h.last().receive({ type: 'update', channel: 'orders', version: 6, prevVersion: 5, data: [order({ status: 'FILLED', version: 6 })] });
  t.equal(ordersOf(h.client.view.state)[0]?.status, 'FILLED');
  t.same(changes, ['NEW→FILLED']);
  h.client.stop();
});

t.test('a gap re-subscribes that channel only (unsubscribe then subscribe)', async (t) => {
  const h = harness();
  h.client.subscribe(['orders', 'trades']);
  h.client.start();
  await connectReady(h);
  const s = h.last();
  s.receive({ type: 'snapshot', channel: 'orders', version: 5, data: [] });
  const before = s.sent.length;
  s.receive({ type: 'update', channel: 'orders', version: 9, prevVersion: 8, data: [] });
  t.same(s.sent.slice(before), [
    { type: 'unsubscribe', channels: ['orders'] },
    { type: 'subscribe', channels: ['orders'] },
  ]);
  h.client.stop();
});

t.test('after a drop: backoff, a fresh ticket, re-subscribe everything; data stays visible meanwhile', async (t) => {
  const h = harness();
  h.client.subscribe(['orders', 'candles:BTCUSDT:1m']);
  h.client.start();
  await connectReady(h);
  h.last().receive({ type: 'snapshot', channel: 'orders', version: 5, data: [order()] });
  h.last().drop(1006);
  t.equal(h.client.view.status, 'reconnecting');
  t.equal(ordersOf(h.client.view.state).length, 1, 'held rows remain on screen');
  await h.advance(100);
  t.equal(h.sockets.length, 1, 'not before the backoff delay');
  await h.advance(1000);
  t.equal(h.sockets.length, 2);
  t.equal(h.ticketCalls.length, 2, 'a new ticket per attempt');
  h.last().open();
  t.same(h.last().sent[0], { type: 'auth', token: 'ticket-2' });
  h.last().receive({ type: 'ready' });
  t.same(h.last().sent[1], { type: 'subscribe', channels: ['orders', 'candles:BTCUSDT:1m'] });
  t.equal(h.client.view.status, 'connected');
  h.client.stop();
});

t.test('consecutive failures back off exponentially, then show offline while still retrying', async (t) => {
  const h = harness();
  h.client.start();
  await h.flush();
  const opened: number[] = [];
  for (let i = 0; i < OFFLINE_AFTER_ATTEMPTS + 2; i++) {
    h.last().drop(1006);
    const count = h.sockets.length;
    let waited = 0;
    while (h.sockets.length === count) {
      await h.advance(50);
      waited += 50;
    }
    opened.push(waited);
  }
  t.ok(
    opened.every((w, i) => i === 0 || w >= (opened[i - 1] ?? 0)),
    `waits grow: ${opened.join(', ')}`,
  );
  h.last().drop(1006);
  t.equal(h.client.view.status, 'offline');
  t.ok(h.pending() > 0, 'a retry is still scheduled');
  h.client.stop();
  t.equal(h.pending(), 0, 'stop clears every timer');
});

t.test('an expired session ends the retries', async (t) => {
  const h = harness([{ ok: false, unauthenticated: true, message: 'session expired' }]);
  h.client.start();
  await h.flush();
  t.equal(h.client.view.status, 'offline');
  t.match(h.client.view.detail, /session has expired/);
  t.equal(h.client.view.expired, true, 'the page is told to send the user to log in');
  await h.advance(120_000);
  t.equal(h.sockets.length, 0);
  t.equal(h.ticketCalls.length, 1);
});

t.test('a ticket endpoint failure is retried like a drop', async (t) => {
  const h = harness([{ ok: false, unauthenticated: false, message: 'ticket request failed (503)' }]);
  h.client.start();
  await h.flush();
  t.equal(h.sockets.length, 0);
  t.equal(h.client.view.status, 'reconnecting');
  t.equal(h.client.view.expired, false, 'an outage is not an expired session');
  await h.advance(1000);
  t.equal(h.sockets.length, 1);
  h.client.stop();
});

t.test('4401 closes: a new ticket each time, and after repeated refusals it stops', async (t) => {
  const h = harness();
  h.client.start();
  await h.flush();
  for (let i = 0; i < 3; i++) {
    h.last().open();
    h.last().drop(CLOSE_UNAUTHORIZED, 'bad token');
    await h.advance(5000);
  }
  t.equal(h.client.view.status, 'offline');
  t.match(h.client.view.detail, /refused/);
  t.equal(h.client.view.expired, true);
  t.equal(h.ticketCalls.length, 3);
  t.same(
    h.sockets.map((s) => s.sent[0]),
    [1, 2, 3].map((n) => ({ type: 'auth', token: `ticket-${n}` })),
  );
});

t.test('keepalive pings; a silent connection is abandoned and replaced', async (t) => {
  const h = harness();
  h.client.start();
  await connectReady(h);
  const s = h.last();
  await h.advance(PING_EVERY_MS);
  t.same(s.sent.at(-1), { type: 'ping' });
  s.receive({ type: 'pong' });
  await h.advance(PING_EVERY_MS);
  t.same(s.sent.at(-1), { type: 'ping' }, 'still alive after a pong');
  await h.advance(STALE_AFTER_MS + PING_EVERY_MS);
  t.ok(s.closed, 'the silent socket is closed');
  t.equal(s.onmessage, null, 'and detached');
  await h.advance(2000);
  t.equal(h.sockets.length, 2, 'a new connection replaces it');
  h.client.stop();
});

t.test('no ready after auth: the attempt times out and is retried', async (t) => {
  const h = harness();
  h.client.start();
  await h.flush();
  h.last().open();
  await h.advance(READY_TIMEOUT_MS);
  t.ok(h.last().closed);
  await h.advance(1000);
  t.equal(h.sockets.length, 2);
  h.client.stop();
});

t.test('offline browser pauses retries; online reconnects at once', async (t) => {
  const h = harness();
  h.client.start();
  await connectReady(h);
  h.client.setNetwork(false);
  t.equal(h.client.view.status, 'offline');
  await h.advance(60_000);
  t.equal(h.sockets.length, 1, 'no attempts while offline');
  h.client.setNetwork(true);
  await h.flush();
  t.equal(h.sockets.length, 2);
  t.equal(h.client.view.status, 'reconnecting');
  h.client.stop();
});

t.test('messages from an abandoned socket are ignored', async (t) => {
  const h = harness();
  h.client.subscribe(['orders']);
  h.client.start();
  await connectReady(h);
  const old = h.last();
  old.drop(1006);
  await h.advance(1000);
  const onmessage = old.onmessage;
  t.equal(onmessage, null, 'handlers detached from the old socket');
  h.client.stop();
});
