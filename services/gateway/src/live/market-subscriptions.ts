// Reference-counted NATS subscriptions for the market channels: the first socket that subscribes to
// ticker:BTCUSDT opens one NATS subscription, the last one to leave closes it.
import { CandleUpdate, type Subjects, Ticker } from '@blotter/schemas';
import type { NatsConnection, Subscription } from 'nats';
import { Compile } from 'typebox/compile';

const TickerCheck = Compile(Ticker);
const CandleCheck = Compile(CandleUpdate);
const decoder = new TextDecoder();

type Listener = (data: unknown) => void;

export class MarketSubscriptions {
  private readonly subs = new Map<string, { sub: Subscription; listeners: Set<Listener> }>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: Subjects,
  ) {}

  /** Subscribes to `ticker:SYM` or `candles:SYM:I`; returns the unsubscribe function. */
  listen(channel: string, listener: Listener): () => void {
    let entry = this.subs.get(channel);
    if (!entry) {
      const [kind, symbol = '', interval = ''] = channel.split(':');
      const subject = kind === 'ticker' ? this.subjects.ticker(symbol) : this.subjects.candle(symbol, interval);
      const listeners = new Set<Listener>();
      const sub = this.nc.subscribe(subject, {
        callback: (err, msg) => {
          if (err) return;
          let value: unknown;
          try {
            value = JSON.parse(decoder.decode(msg.data));
          } catch {
            return;
          }
          const data = kind === 'ticker' ? (TickerCheck.Check(value) ? value : null) : CandleCheck.Check(value) ? value.candle : null;
          if (data === null) return;
          for (const l of listeners) l(data);
        },
      });
      entry = { sub, listeners };
      this.subs.set(channel, entry);
    }
    entry.listeners.add(listener);
    const current = entry;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        current.sub.unsubscribe();
        this.subs.delete(channel);
      }
    };
  }

  close(): void {
    for (const { sub } of this.subs.values()) sub.unsubscribe();
    this.subs.clear();
  }
}
