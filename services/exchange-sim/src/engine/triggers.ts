// When a conditional order wakes up. STOP_LOSS* guards against the price moving against you
// (BUY when it rises to the stop, SELL when it falls to it); TAKE_PROFIT* is the mirror image.
import type { Big } from '../decimal.ts';
import type { OrderType, Side } from './types.ts';

export function isTriggered(type: OrderType, side: Side, stopPrice: Big, last: Big): boolean {
  const rising = type.startsWith('STOP_LOSS') ? side === 'BUY' : side === 'SELL';
  return rising ? last.gte(stopPrice) : last.lte(stopPrice);
}
