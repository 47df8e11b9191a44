export { cancelAtVenue } from './cancel.ts';
export { type ExecutorConfig, loadExecutorConfig } from './config.ts';
export { Executor, type ExecutorOptions, type ExecutorStats } from './executor.ts';
export { RestingOrders } from './follow.ts';
export { KeyedQueue } from './keyed-queue.ts';
export { submitPlacedOrder } from './submit.ts';
export { binanceVenues, MissingVenueKeysError, type VenueFactory, VenueRegistry } from './venues.ts';
