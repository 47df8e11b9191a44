// The market feed process. Stops on SIGTERM/SIGINT.
import { connectNats, defaultStreamOptions, EventStore } from '@blotter/eventstore';
import pino from 'pino';
import { configOrExit } from '@blotter/schemas';
import { loadMarketConfig } from './config.ts';
import { AlertEvaluator } from './alerts/evaluator.ts';
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
// Price alerts are evaluated where the prices are made (docs/ARCHITECTURE.md, "Price alerts").
const store = await EventStore.open(nc, defaultStreamOptions(config.BLOTTER_NAMESPACE, config));
const evaluator = new AlertEvaluator({ store, nc, log });
await evaluator.start();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    feed.stop();
    await evaluator.stop();
    await nc.drain();
    process.exit(0);
  });
}
