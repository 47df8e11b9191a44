// How each event moves money between "free" and "locked" balances. The balances projection and
// every replay use this one function.
import type { DomainEvent } from '@blotter/schemas';
import { dec, str } from './money.ts';

export interface BalanceEffect {
  asset: string;
  /** Signed change of the free amount. */
  free: string;
  /** Signed change of the locked amount. */
  locked: string;
}

const effect = (asset: string, free: string, locked = '0'): BalanceEffect => ({ asset, free, locked });
const neg = (v: string) => str(dec(v).neg());

/** The balance changes an event causes, in order; empty for events that move no money. */
export function balanceEffects(event: DomainEvent): BalanceEffect[] {
  switch (event.type) {
    case 'AccountOpened':
      return event.data.deposits.map((d) => effect(d.asset, d.amount));
    case 'OrderPlaced': {
      const { asset, amount } = event.data.reserved;
      return [effect(asset, neg(amount), amount)];
    }
    case 'OrderFilled': {
      const d = event.data;
      const [paid, paidAmount, got, gotAmount] =
        d.side === 'BUY'
          ? [d.quoteAsset, d.quoteQuantity, d.baseAsset, d.quantity]
          : [d.baseAsset, d.quantity, d.quoteAsset, d.quoteQuantity];
      const effects = [
        // First unlock this fill's share of the reservation, then pay from free.
        effect(d.released.asset, d.released.amount, neg(d.released.amount)),
        effect(paid, neg(paidAmount)),
        effect(got, gotAmount),
      ];
      if (dec(d.fee).gt(0)) effects.push(effect(d.feeAsset, neg(d.fee)));
      return effects;
    }
    case 'VenueBalanceChanged':
      // The decider bounded the change so that free never goes below 0 (see `shortfall`).
      return dec(event.data.freeChange).eq(0) ? [] : [effect(event.data.asset, event.data.freeChange)];
    case 'OrderRejected':
    case 'OrderExpired':
    case 'OrderCanceled': {
      const { asset, amount } = event.data.released;
      return dec(amount).eq(0) ? [] : [effect(asset, amount, neg(amount))];
    }
    default:
      return [];
  }
}

/** Sums effects per asset (what a batch of events does to one user's balances). */
export function netEffects(effects: readonly BalanceEffect[]): Map<string, { free: string; locked: string }> {
  const out = new Map<string, { free: string; locked: string }>();
  for (const e of effects) {
    const cur = out.get(e.asset) ?? { free: '0', locked: '0' };
    out.set(e.asset, { free: str(dec(cur.free).plus(e.free)), locked: str(dec(cur.locked).plus(e.locked)) });
  }
  return out;
}
