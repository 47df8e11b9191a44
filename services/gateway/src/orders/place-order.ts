// PlaceOrder: gather the market facts (filters, mark price, limits, the kill switch), then let the
// user's account aggregate decide — its balances, open orders and recent orders are its own state,
// current as of the append, never a read model's — and append the result as one commit. The order
// id of an order with a clientOrderId is derived from (user, clientOrderId), so a repeated request
// lands on the same order and the decider answers it without appending anything.
import { loadAggregate, nameUuid, OutcomeUnknownError, uuidv7 } from '@blotter/eventstore';
import {
  decisionTime,
  type ExistingOrder,
  evolveOrder,
  needsOrderHistory,
  orderAggregate,
  orderOf,
  type OrderState,
  normalizeOrderDecimals,
  placeOrderOnAccount,
} from '@blotter/orders';
import type { FilterName, OrderEvent, PlaceOrder, PlaceOrderRequest } from '@blotter/schemas';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.ts';

export type PlaceOrderLimits = PlaceOrder['context']['limits'];

export type PlaceOrderOutcome =
  | { kind: 'placed'; order: ExistingOrder }
  | { kind: 'repeated'; order: ExistingOrder }
  | { kind: 'denied'; order: ExistingOrder; code: string; reason: string; field: string | null; filter: FilterName | null };

export interface PlaceOrderDeps {
  app: FastifyInstance;
  limits: PlaceOrderLimits;
  halted: () => boolean;
}

export async function handlePlaceOrder(
  deps: PlaceOrderDeps,
  userId: string,
  body: PlaceOrderRequest,
  meta: { idempotencyKey: string | undefined; correlationId: string },
): Promise<PlaceOrderOutcome> {
  const { app } = deps;
  const clientOrderId = body.clientOrderId ?? meta.idempotencyKey ?? null;
  const orderId = clientOrderId ? nameUuid(`${userId}/${clientOrderId}`) : uuidv7();
  const subject = app.store.subjects.order(userId, orderId);
  const [symbolInfo, markPrice] = await Promise.all([app.market.symbol(body.symbol), app.market.markPriceFor(body.symbol, body.type)]);
  let at = new Date().toISOString();
  // The venue gets exactly what is recorded: "0.001000000000" becomes "0.001" here, before the decider.
  const decimals = normalizeOrderDecimals({ quantity: body.quantity, price: body.price ?? null, stopPrice: body.stopPrice ?? null });
  const command: PlaceOrder = {
    commandId: `place-${orderId}`,
    orderId,
    at,
    userId,
    clientOrderId,
    symbol: body.symbol,
    side: body.side,
    type: body.type,
    timeInForce: body.timeInForce ?? null,
    ...decimals,
    context: { symbolInfo, markPrice, limits: deps.limits, halted: deps.halted() },
  };
  // The order as it stood when the decision was made, and what the decision appended to it.
  let before: OrderState = { status: 'NONE' };
  let decided: OrderEvent[] = [];
  const history = (account: Parameters<typeof needsOrderHistory>[0]) =>
    needsOrderHistory(account, orderId) ? loadAggregate(app.store, subject, orderAggregate).then((l) => l.state) : null;
  let result: Awaited<ReturnType<typeof app.accountRepo.handle>>;
  try {
    result = await app.accountRepo.handle(userId, async (account) => {
      before = orderOf(account, orderId, await history(account));
      at = decisionTime(account, Date.now());
      decided = placeOrderOnAccount({ ...command, at }, account, before);
      if (decided.length === 0) return null;
      return {
        subject,
        aggregateId: orderId,
        events: decided,
        commitId: command.commandId,
        occurredAt: at,
        correlationId: meta.correlationId,
        newSubject: before.status === 'NONE',
      };
    });
  } catch (err) {
    if (err instanceof OutcomeUnknownError) {
      throw new HttpError(
        'OUTCOME_UNKNOWN',
        `the order may or may not have been recorded; repeat the request with the same clientOrderId (${clientOrderId ?? 'send one'}) or look up order ${orderId}`,
        { orderId },
      );
    }
    throw err;
  }
  if (result.duplicate) {
    // The same command was already stored by an earlier request: answer with what is there.
    const stored = (await loadAggregate(app.store, subject, orderAggregate)).state;
    if (stored.status === 'NONE') throw new HttpError('INTERNAL', 'order was not recorded');
    return stored.status === 'DENIED'
      ? { kind: 'denied', order: stored, ...(await denialOf(deps, userId, orderId, [])) }
      : { kind: 'repeated', order: stored };
  }
  const order = decided.reduce<OrderState>((s, e) => evolveOrder(s, e, { seq: result.seq, occurredAt: at }), before);
  if (order.status === 'NONE') throw new HttpError('INTERNAL', 'order was not recorded');
  if (order.status === 'DENIED') return { kind: 'denied', order, ...(await denialOf(deps, userId, orderId, decided)) };
  return { kind: decided.length > 0 ? 'placed' : 'repeated', order };
}

type Denied = Extract<OrderEvent, { type: 'OrderDenied' }>;
const isDenial = <E extends { type: string }>(e: E): e is Extract<E, { type: 'OrderDenied' }> => e.type === 'OrderDenied';

/** The denial's code and field, from the event just appended or, for a repeat, from the stream. */
async function denialOf(deps: PlaceOrderDeps, userId: string, orderId: string, events: OrderEvent[]) {
  let denied: Denied | undefined = events.find(isDenial);
  if (!denied) {
    const commits = await deps.app.store.readSubject(deps.app.store.subjects.order(userId, orderId));
    denied = commits.flatMap((c) => c.events).find(isDenial);
  }
  if (!denied) throw new HttpError('INTERNAL', 'denied order without its denial');
  return { code: denied.data.code, reason: denied.data.reason, field: denied.data.field, filter: denied.data.filter };
}
