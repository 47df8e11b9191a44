// One WebSocket connection. User channels go through snapshot-then-updates: while the snapshot is
// read, change notices for that channel are buffered; afterwards only those newer than the
// snapshot are sent, so a client sees every change exactly once and in version order. Market
// channels forward the feed with a per-socket running version.
import { withMark } from '@blotter/read-models';
import { type ChangeNotice, ClientMessage, isCandleInterval, isUserChannel, Position, type ServerMessage } from '@blotter/schemas';
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import type { WebSocket } from 'ws';
import { userSnapshot } from './snapshots.ts';
import type { MarketSubscriptions } from './market-subscriptions.ts';

const ClientCheck = Compile(ClientMessage);
const StoredPosition = Compile(Type.Omit(Position, ['markPrice', 'unrealizedPnl']));

interface ChannelState {
  version: number;
  /** Notices received while the snapshot was being read. */
  buffer: ChangeNotice[] | null;
  unlisten?: () => void;
}

export class LiveSession {
  private readonly channels = new Map<string, ChannelState>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly socket: WebSocket,
    readonly userId: string,
    private readonly market: MarketSubscriptions,
  ) {}

  send(message: ServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  async onMessage(raw: unknown): Promise<void> {
    if (!ClientCheck.Check(raw)) {
      const first = ClientCheck.Errors(raw)[0];
      this.send({
        type: 'error',
        error: { code: 'VALIDATION_FAILED', message: `invalid message: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim() },
      });
      return;
    }
    switch (raw.type) {
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'auth':
        return; // already authenticated
      case 'subscribe':
        await Promise.all(raw.channels.map((c) => this.subscribe(c)));
        return;
      case 'unsubscribe':
        for (const c of raw.channels) this.unsubscribe(c);
        this.send({ type: 'unsubscribed', channels: raw.channels });
        return;
    }
  }

  /** A projector's notice for this user. */
  onChange(notice: ChangeNotice): void {
    const state = this.channels.get(notice.channel);
    if (!state) return;
    if (state.buffer) {
      state.buffer.push(notice);
      return;
    }
    this.deliver(notice.channel, state, notice);
  }

  close(): void {
    for (const c of [...this.channels.keys()]) this.unsubscribe(c);
  }

  private async subscribe(channel: string): Promise<void> {
    this.unsubscribe(channel);
    if (isUserChannel(channel)) {
      const state: ChannelState = { version: 0, buffer: [] };
      this.channels.set(channel, state);
      try {
        const snap = await userSnapshot(this.app, this.userId, channel);
        if (this.channels.get(channel) !== state) return; // unsubscribed meanwhile
        state.version = snap.version;
        this.send({ type: 'snapshot', channel, version: snap.version, data: snap.data });
        const buffered = state.buffer ?? [];
        state.buffer = null;
        for (const notice of buffered.sort((a, b) => a.version - b.version)) this.deliver(channel, state, notice);
      } catch (err) {
        this.channels.delete(channel);
        this.app.log.error({ err, channel }, 'snapshot failed');
        this.send({ type: 'error', error: { code: 'SERVICE_UNAVAILABLE', message: `could not read ${channel}; subscribe again` } });
      }
      return;
    }
    await this.subscribeMarket(channel);
  }

  private deliver(channel: string, state: ChannelState, notice: ChangeNotice): void {
    if (notice.version <= state.version) return; // already in the snapshot
    // Positions gain the mark price this gateway knows now, as in a snapshot.
    const rows =
      channel === 'positions'
        ? notice.rows.filter((r) => StoredPosition.Check(r)).map((r) => withMark(r, this.app.market.markPrice(r.symbol)))
        : notice.rows;
    // The client checks prevVersion against what it holds; a notice lost between projector and
    // gateway shows up as a mismatch there and the client subscribes again.
    this.send({ type: 'update', channel, version: notice.version, prevVersion: notice.prevVersion, data: rows });
    state.version = notice.version;
  }

  /** Market channels: versions are per socket (time-based, increasing); feed data seen while the
   * snapshot is read is held back and sent after it. */
  private async subscribeMarket(channel: string): Promise<void> {
    const state: ChannelState = { version: 0, buffer: null };
    this.channels.set(channel, state);
    const [kind, symbol = '', interval = '1m'] = channel.split(':');
    const known = await this.app.market.symbol(symbol).catch(() => null);
    if (!known || this.channels.get(channel) !== state) {
      if (!known) this.send({ type: 'error', error: { code: 'NOT_FOUND', message: `unknown symbol ${symbol}` } });
      // Only our own entry: a second subscribe to the same channel may have replaced it meanwhile.
      if (this.channels.get(channel) === state) this.channels.delete(channel);
      return;
    }
    let held: unknown[] | null = [];
    const push = (data: unknown) => {
      const version = Math.max(state.version + 1, Date.now());
      this.send({ type: 'update', channel, version, prevVersion: state.version, data });
      state.version = version;
    };
    state.unlisten = this.market.listen(channel, (data) => (held ? held.push(data) : push(data)));
    const data =
      kind === 'ticker'
        ? await this.app.market.ticker(symbol).catch(() => null)
        : await this.app.market.candles(symbol, isCandleInterval(interval) ? interval : '1m', 300).catch(() => []);
    if (this.channels.get(channel) !== state) return;
    state.version = Date.now();
    this.send({ type: 'snapshot', channel, version: state.version, data });
    const late = held;
    held = null;
    for (const d of late) push(d);
  }

  private unsubscribe(channel: string): void {
    const state = this.channels.get(channel);
    state?.unlisten?.();
    this.channels.delete(channel);
  }
}
