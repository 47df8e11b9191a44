// Recording what the venue said. A report is decided on its order alone (the order decider needs
// nothing else of the account) and appended under the optimistic-concurrency check of the order's
// own subject: a report never loses a race to the user's other orders, and it still moves the
// user's last sequence, so a gateway deciding on the account sees it before its next decision
// stands. The commit id is derived from the report's content, so recording the same report twice
// (a redelivery, a poll racing the user-data stream) is deduplicated by the stream, and anything
// already known is ignored by the decider.
import { createHash } from 'node:crypto';
import type { ScopeRepository } from '@blotter/eventstore';
import {
  isOpen,
  type OrderState,
  recordCancelRejection as decideCancelRejection,
  recordVenueReport,
  UnrecordedFillsError,
} from '@blotter/orders';
import type { OrderEvent, OrderStatus, RecordVenueReport, Venue, VenueFill } from '@blotter/schemas';
import type { VenueClient, VenueOrderReport } from './venue/types.ts';

export interface OrderRef {
  orderId: string;
  userId: string;
  subject: string;
  correlationId: string | null;
}

/** Where the executor reads and records orders: each order's own subject, as one scope. */
export interface Ledger {
  orders: ScopeRepository<OrderState, OrderEvent>;
  /** Told once an order's close (or last fill) is recorded, whichever path recorded it. */
  closed?(ref: OrderRef, venue: Venue): void;
}

export type Outcome = Omit<RecordVenueReport, 'commandId' | 'orderId' | 'at'>;

export function outcomeOf(report: VenueOrderReport): Outcome {
  return {
    venueOrderId: report.venueOrderId,
    venueStatus: report.status,
    fills: report.fills,
    executedQuantity: report.executedQuantity,
    code: null,
    reason: null,
  };
}

export function rejection(code: string, reason: string): Outcome {
  return { venueOrderId: null, venueStatus: 'REJECTED', fills: [], code, reason };
}

/** The order's state now, read fresh from its subject. */
export async function currentOrder(ledger: Ledger, ref: OrderRef): Promise<OrderState> {
  return (await ledger.orders.loadFresh(ref.subject)).state;
}

/** Appends what an order-level decision returns; the order's status afterwards (null: no such order). */
async function decideOnOrder(
  ledger: Ledger,
  ref: OrderRef,
  commandId: string,
  at: string,
  causationId: string | null,
  decide: (order: OrderState) => OrderEvent[],
): Promise<OrderStatus | null> {
  const target = {
    subject: ref.subject,
    aggregateId: ref.orderId,
    userId: ref.userId,
    commitId: commandId,
    occurredAt: at,
    causationId,
    correlationId: ref.correlationId,
  };
  const { state, events } = await ledger.orders.decide(ref.subject, target, decide);
  if (state.status === 'NONE') return null;
  if (events.length > 0 && !isOpen(state)) ledger.closed?.(ref, state.venue);
  return state.status;
}

export function record(ledger: Ledger, ref: OrderRef, outcome: Outcome, causationId: string | null): Promise<OrderStatus | null> {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([outcome.venueStatus, outcome.venueOrderId, outcome.fills.map((f) => f.tradeId).sort(), outcome.code]))
    .digest('hex')
    .slice(0, 24);
  const commandId = `venue-${ref.orderId}-${fingerprint}`;
  const at = new Date().toISOString();
  return decideOnOrder(ledger, ref, commandId, at, causationId, (order) =>
    recordVenueReport({ commandId, orderId: ref.orderId, at, ...outcome }, order),
  );
}

export function recordCancelRejection(ledger: Ledger, ref: OrderRef, code: string, reason: string): Promise<OrderStatus | null> {
  const commandId = `cancel-rejected-${ref.orderId}-${Date.now()}`;
  const at = new Date().toISOString();
  return decideOnOrder(ledger, ref, commandId, at, null, (order) =>
    decideCancelRejection({ commandId, orderId: ref.orderId, at, code, reason }, order),
  );
}

/**
 * Records what the venue reported about an order. A report that would close the order while the
 * venue executed more than Blotter has fills for (a fill made just before a cancel or an expiry,
 * whose own report was lost or is still on its way) is refused by the decider; the order's trades
 * are then fetched from the venue (order query + myTrades) and recorded with the close. Should the
 * venue's trade list still fall short, the error reaches the caller, whose retry asks again.
 */
export async function recordReport(
  ledger: Ledger,
  venue: VenueClient,
  ref: OrderRef,
  report: VenueOrderReport,
  causationId: string | null,
  reason: string | null = null,
): Promise<OrderStatus | null> {
  try {
    return await record(ledger, ref, { ...outcomeOf(report), reason }, causationId);
  } catch (err) {
    if (!(err instanceof UnrecordedFillsError)) throw err;
    const known = await venue.queryOrder(report.symbol, ref.orderId);
    const fills = mergeFills(report.fills, known?.fills ?? []);
    return record(ledger, ref, { ...outcomeOf({ ...report, fills }), reason }, causationId);
  }
}

/** Both lists' fills, once each, in the venue's trade order. */
function mergeFills(a: readonly VenueFill[], b: readonly VenueFill[]): VenueFill[] {
  const byId = new Map<string, VenueFill>();
  for (const f of [...a, ...b]) if (!byId.has(f.tradeId)) byId.set(f.tradeId, f);
  return [...byId.values()].sort((x, y) => Number(x.tradeId) - Number(y.tradeId) || x.tradeId.localeCompare(y.tradeId));
}
