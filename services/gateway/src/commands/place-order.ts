// PlaceOrder: gather the facts the decider needs (filters, mark price, available balance, open
// orders, limits), decide, and append the result as one commit. The order id of an order with a
// clientOrderId is derived from (user, clientOrderId), so a repeated request lands on the same
// aggregate and the decider answers it without appending anything.
import { nameUuid, uuidv7 } from '@blotter/eventstore';
import { dec, type ExistingOrder, normalizeOrderDecimals, placeOrder, str } from '@blotter/orders';
import type { FilterName, OrderEvent, PlaceOrder, PlaceOrderRequest } from '@blotter/schemas';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { HttpError } from '../errors.ts';
import type { PendingReservations } from './pending.ts';
import { preTradeFacts } from './pre-trade-facts.ts';

export interface PlaceOrderLimits {
  maxNotional: string;
  maxOpenOrders: number;
  feeMargin: string;
  marketSlippage: string;
}

export type PlaceOrderOutcome =
  | { kind: 'placed'; order: ExistingOrder }
  | { kind: 'repeated'; order: ExistingOrder }
  | { kind: 'denied'; order: ExistingOrder; code: string; reason: string; field: string | null; filter: FilterName | null };

export interface PlaceOrderDeps {
  app: FastifyInstance;
  pending: PendingReservations;
  limits: PlaceOrderLimits;
  halted: () => boolean;
}

/** The user's venue and what they can spend: projected balances minus this gateway's unprojected reservations. */
async function available(deps: PlaceOrderDeps, userId: string) {
  const facts = await preTradeFacts(deps.app.db as Kysely<unknown>, deps.app.readSchema, userId);
  if (!facts) throw new HttpError('UNAUTHENTICATED', 'this account no longer exists');
  const { free } = facts;
  const outstanding = deps.pending.outstanding(userId, facts.balancesVersion);
  for (const r of outstanding) free[r.asset] = str(dec(free[r.asset] ?? '0').minus(r.amount));
  return { venue: facts.venue, free, openOrders: facts.openOrders + outstanding.length };
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
  const [symbolInfo, ticker, funds] = await Promise.all([
    app.market.symbol(body.symbol),
    body.type === 'MARKET' ? app.market.ticker(body.symbol).catch(() => null) : Promise.resolve(null),
    available(deps, userId),
  ]);
  const at = new Date().toISOString();
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
    venue: funds.venue,
    context: {
      symbolInfo,
      markPrice: ticker?.price ?? app.market.markPrice(body.symbol),
      available: funds.free,
      openOrders: funds.openOrders,
      limits: deps.limits,
      halted: deps.halted(),
    },
  };
  const result = await app.orders.handle(
    app.store.subjects.order(userId, orderId),
    { commitId: command.commandId, aggregateId: orderId, userId, occurredAt: at, correlationId: meta.correlationId },
    (state) => placeOrder(command, state),
    { assumeNew: true },
  );
  if (result.state.status === 'NONE') throw new HttpError('INTERNAL', 'order was not recorded');
  const order = result.state;
  const placed = result.events.find((e): e is Extract<OrderEvent, { type: 'OrderPlaced' }> => e.type === 'OrderPlaced');
  if (placed) deps.pending.add(userId, { seq: result.seq, ...placed.data.reserved });
  if (order.status === 'DENIED') {
    const denial = await denialOf(deps, userId, orderId, result.events);
    return { kind: 'denied', order, ...denial };
  }
  return { kind: result.events.length > 0 ? 'placed' : 'repeated', order };
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
