export { AlertEvaluator, type EvaluatorOptions, type EvaluatorStats } from './alerts/evaluator.ts';
export { loadMarketConfig, type MarketConfig } from './config.ts';
export { type FeedOptions, MarketFeed } from './feed.ts';
export { MalformedVenueData, toCandles, toPrice, toSymbols } from './mapping.ts';
export { type MarketVenue, publicClient } from './venue.ts';
