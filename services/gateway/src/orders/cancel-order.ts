// CancelOrder: the user's account aggregate decides (an open order of theirs moves to
// PENDING_CANCEL; a closed one is a conflict; anything else is not theirs) and the executor takes
// the request to the venue. An order of another user lives in another scope, so it is simply not
// found.
import { uuidv7 } from '@blotter/eventstore';
import { cancelOrderOnAccount, type ExistingOrder } from '@blotter/orders';
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
  const target = {
    subject: app.store.subjects.order(userId, orderId),
    aggregateId: orderId,
    commitId: commandId,
    occurredAt: at,
    correlationId,
  };
  const result = await app.accountRepo.decide(userId, target, (account) =>
    cancelOrderOnAccount({ commandId, orderId, at, requestedBy: userId }, account),
  );
  const order = result.state.openOrders[orderId];
  // Closed by a venue report between the decision and now is impossible (one scope, one writer at a
  // time), so an answer without the order is a bug, not a race.
  if (!order) throw new HttpError('INTERNAL', `order ${orderId} is not open after its cancel request`);
  return order;
}
