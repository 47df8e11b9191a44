// Which order transitions deserve a toast, and what it says. Pure; the toast store shows them.
import { OPEN_STATUSES } from '@blotter/schemas';
import type { OrderRow } from '../live/channels.ts';

export type ToastKind = 'fill' | 'partial' | 'reject' | 'deny' | 'cancel' | 'expire' | 'error' | 'info';

export interface ToastSpec {
  kind: ToastKind;
  title: string;
  body: string;
  orderId?: string;
}

const describe = (o: OrderRow) => `${o.side} ${o.quantity} ${o.symbol}${o.price ? ` @ ${o.price}` : ''}`;

/** A toast for an order row that changed from `prev` (undefined when the order is new to us). */
export function orderToast(prev: OrderRow | undefined, next: OrderRow): ToastSpec | null {
  const statusChanged = prev?.status !== next.status;
  const filledMore = prev !== undefined && prev.filledQuantity !== next.filledQuantity;
  const base = { orderId: next.orderId };
  switch (next.status) {
    case 'FILLED':
      if (!statusChanged) return null;
      return {
        ...base,
        kind: 'fill',
        title: 'Order filled',
        body: `${describe(next)} filled${next.avgFillPrice ? ` at ${next.avgFillPrice}` : ''}`,
      };
    case 'PARTIALLY_FILLED':
      if (!statusChanged && !filledMore) return null;
      return {
        ...base,
        kind: 'partial',
        title: 'Partially filled',
        body: `${describe(next)}: ${next.filledQuantity} of ${next.quantity} filled`,
      };
    case 'REJECTED':
      if (!statusChanged) return null;
      return { ...base, kind: 'reject', title: 'Order rejected', body: `${describe(next)}${next.reason ? `: ${next.reason}` : ''}` };
    case 'DENIED':
      if (!statusChanged) return null;
      return { ...base, kind: 'deny', title: 'Order denied', body: `${describe(next)}${next.reason ? `: ${next.reason}` : ''}` };
    case 'CANCELED':
      if (!statusChanged) return null;
      return { ...base, kind: 'cancel', title: 'Order canceled', body: describe(next) };
    case 'EXPIRED':
      if (!statusChanged) return null;
      return { ...base, kind: 'expire', title: 'Order expired', body: `${describe(next)}${next.reason ? `: ${next.reason}` : ''}` };
    case 'PENDING_NEW':
    case 'NEW':
    case 'PENDING_CANCEL':
      return null;
    default: {
      const never: never = next.status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
}

const OPEN: ReadonlySet<string> = new Set(OPEN_STATUSES);
export const isOpenOrder = (o: Pick<OrderRow, 'status'>) => OPEN.has(o.status);
/** PENDING_CANCEL is already on its way out: no second cancel for it. */
export const isCancelable = (o: Pick<OrderRow, 'status'>) =>
  o.status === 'PENDING_NEW' || o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
