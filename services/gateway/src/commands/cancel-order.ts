// CancelOrder: appends OrderCancelRequested to the caller's own order; the executor takes it to
// the venue. An order of another user lives on another subject, so it is simply not found.
import { uuidv7 } from '@blotter/eventstore';
import { cancelOrder, type ExistingOrder } from '@blotter/orders';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.ts';

export async function handleCancelOrder(
  app: FastifyInstance,
  userId: string,
  orderId: string,
  correlationId: string,
): Promise<ExistingOrder> {
  const at = new Date().toISOString();
  // A repeated DELETE is idempotent through the decider (already PENDING_CANCEL: nothing to append),
  // so each request may carry a fresh command id; a fixed one would swallow a legitimate second
  // cancel after the venue refused the first.
  const commandId = `cancel-${uuidv7()}`;
  const result = await app.orders.handle(
    app.store.subjects.order(userId, orderId),
    { commitId: commandId, aggregateId: orderId, userId, occurredAt: at, correlationId },
    (state) => cancelOrder({ commandId, orderId, at, requestedBy: userId }, state),
  );
  if (result.state.status === 'NONE') throw new HttpError('ORDER_NOT_FOUND', `No order ${orderId}`);
  return result.state;
}
