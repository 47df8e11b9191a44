// Recording what the venue said, through the order decider. The commit id is derived from the
// report's content, so recording the same report twice (a redelivery, a poll racing the user-data
// stream) is deduplicated by the stream, and anything already known is ignored by the decider.
import { createHash } from 'node:crypto';
import type { AggregateRepository } from '@blotter/eventstore';
import { decideOrder, type OrderState } from '@blotter/orders';
import type { OrderEvent, RecordVenueReport } from '@blotter/schemas';
import type { VenueOrderReport } from './venue/types.ts';

export interface OrderRef {
  orderId: string;
  userId: string;
  subject: string;
  correlationId: string | null;
}

export type Outcome = Omit<RecordVenueReport, 'commandId' | 'orderId' | 'at'>;

export function outcomeOf(report: VenueOrderReport): Outcome {
  return { venueOrderId: report.venueOrderId, venueStatus: report.status, fills: report.fills, code: null, reason: null };
}

export function rejection(code: string, reason: string): Outcome {
  return { venueOrderId: null, venueStatus: 'REJECTED', fills: [], code, reason };
}

export async function record(
  repo: AggregateRepository<OrderState, OrderEvent>,
  ref: OrderRef,
  outcome: Outcome,
  causationId: string | null,
) {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([outcome.venueStatus, outcome.venueOrderId, outcome.fills.map((f) => f.tradeId).sort(), outcome.code]))
    .digest('hex')
    .slice(0, 24);
  const commandId = `venue-${ref.orderId}-${fingerprint}`;
  const at = new Date().toISOString();
  return repo.handle(
    ref.subject,
    { commitId: commandId, aggregateId: ref.orderId, userId: ref.userId, occurredAt: at, causationId, correlationId: ref.correlationId },
    (state) => decideOrder({ type: 'RecordVenueReport', data: { commandId, orderId: ref.orderId, at, ...outcome } }, state),
  );
}

export async function recordCancelRejection(
  repo: AggregateRepository<OrderState, OrderEvent>,
  ref: OrderRef,
  code: string,
  reason: string,
) {
  const commandId = `cancel-rejected-${ref.orderId}-${Date.now()}`;
  const at = new Date().toISOString();
  return repo.handle(
    ref.subject,
    { commitId: commandId, aggregateId: ref.orderId, userId: ref.userId, occurredAt: at, correlationId: ref.correlationId },
    (state) => decideOrder({ type: 'RecordCancelRejection', data: { commandId, orderId: ref.orderId, at, code, reason } }, state),
  );
}
