// The market feed process. Stops on SIGTERM/SIGINT.
import { connectNats } from '@blotter/eventstore';
import pino from 'pino';
import { configOrExit } from '@blotter/schemas';
import { loadMarketConfig } from './config.ts';
import { MarketFeed } from './feed.ts';
import { publicClient } from './venue.ts';

const config = configOrExit('market', () => loadMarketConfig());
const log = pino({ name: 'market', level: config.LOG_LEVEL });
const nc = await connectNats(config.NATS_URL, 'blotter-market');
const feed = new MarketFeed({
  nc,
  namespace: config.BLOTTER_NAMESPACE,
  client: publicClient(config.DEFAULT_VENUE === 'paper' ? { kind: 'paper', simUrl: config.SIM_URL } : { kind: 'binance-testnet' }),
  symbols: config.MARKET_SYMBOLS.split(','),
  tickMs: config.MARKET_TICK_MS,
  candleRefreshMs: config.MARKET_CANDLE_REFRESH_MS,
  log,
});
await feed.start();
log.info({ venue: config.DEFAULT_VENUE, symbols: config.MARKET_SYMBOLS }, 'market feed started');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    feed.stop();
    await nc.drain();
    process.exit(0);
  });
}
