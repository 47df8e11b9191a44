// Orders: place, cancel, list, read, and the order's audit trail straight from the stream.
import { loadAggregate } from '@blotter/eventstore';
import { type ExistingOrder, orderAggregate, toOrderView } from '@blotter/orders';
import { channelVersion, getOrderRow, listOrders } from '@blotter/read-models';
import {
  ClientOrderId,
  ErrorResponse,
  FilterName,
  ListOrdersQuery,
  OrderEventsResponse,
  OrderIdParams,
  OrderList,
  OrderResponse,
  PlaceOrderRequest,
} from '@blotter/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { handleCancelOrder } from './cancel-order.ts';
import { handlePlaceOrder } from './place-order.ts';
import { HttpError } from '../errors.ts';
import type { RouteOptions } from '../route-options.ts';

const IdempotencyKey = Compile(ClientOrderId);
const DeniedResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Object({
      field: Type.Union([Type.String(), Type.Null()]),
      /** The Binance filter a FILTER_FAILURE is about (PRICE_FILTER, LOT_SIZE, NOTIONAL...). */
      filter: Type.Optional(FilterName),
      order: OrderResponse.properties.order,
    }),
  }),
});

const routes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { config, halted }) => {
  app.addHook('onRequest', app.authenticate);
  const security = [{ bearer: [] }];
  const limits = {
    maxNotional: config.MAX_NOTIONAL,
    maxOpenOrders: config.MAX_OPEN_ORDERS,
    ordersPerSecond: config.ORDER_RATE_PER_SECOND,
    feeMargin: config.FEE_MARGIN,
    marketSlippage: config.MARKET_SLIPPAGE,
  };

  app.post(
    '/api/orders',
    {
      onRequest: [app.requireRole('trader')],
      schema: {
        tags: ['orders'],
        security,
        description:
          'Place an order. Idempotent per user by clientOrderId (or the Idempotency-Key header): a repeat returns 200 with the same order.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 64 })) }),
        body: PlaceOrderRequest,
        response: {
          200: OrderResponse,
          201: OrderResponse,
          400: ErrorResponse,
          409: ErrorResponse,
          422: DeniedResponse,
          429: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IdempotencyKey.Check(key)) {
        throw new HttpError('VALIDATION_FAILED', 'Idempotency-Key must be 1-36 characters of A-Z a-z 0-9 _ -', [
          { path: '/headers/idempotency-key', message: 'invalid' },
        ]);
      }
      const outcome = await handlePlaceOrder({ app, limits, halted }, request.user.sub, request.body, {
        idempotencyKey: key,
        correlationId: request.id,
      }).catch((err) => {
        app.metrics.commands.inc({ command: 'PlaceOrder', outcome: 'error' });
        throw err;
      });
      app.metrics.commands.inc({ command: 'PlaceOrder', outcome: outcome.kind });
      if (outcome.kind !== 'repeated') app.metrics.events.inc({ type: outcome.kind === 'denied' ? 'OrderDenied' : 'OrderPlaced' });
      const order = toOrderView(outcome.order);
      if (outcome.kind === 'denied') {
        // details.filter names the Binance filter of a FILTER_FAILURE (API.md); absent for the other codes.
        const details = { field: outcome.field, ...(outcome.filter ? { filter: outcome.filter } : {}), order };
        return reply.status(422).send({ error: { code: outcome.code, message: outcome.reason, details } });
      }
      return reply.status(outcome.kind === 'placed' ? 201 : 200).send({ order });
    },
  );

  app.delete(
    '/api/orders/:orderId',
    {
      onRequest: [app.requireRole('trader')],
      schema: {
        tags: ['orders'],
        security,
        params: OrderIdParams,
        response: { 202: OrderResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const order = await handleCancelOrder(app, request.user.sub, request.params.orderId, request.id).catch((err) => {
        app.metrics.commands.inc({ command: 'CancelOrder', outcome: 'error' });
        throw err;
      });
      app.metrics.commands.inc({ command: 'CancelOrder', outcome: 'accepted' });
      return reply.status(202).send({ order: toOrderView(order) });
    },
  );

  app.get(
    '/api/orders',
    { schema: { tags: ['orders'], security, querystring: ListOrdersQuery, response: { 200: OrderList } } },
    async (request) => {
      const userId = request.user.sub;
      const [orders, version] = await Promise.all([
        listOrders(app.db, app.readSchema, { ...request.query, userId, status: request.query.status ?? 'all' }),
        channelVersion(app.db, app.readSchema, userId, 'orders'),
      ]);
      return { orders, version };
    },
  );

  /** The caller's order: from the read model, or straight from the stream if not projected yet. */
  const ownOrder = async (userId: string, orderId: string): Promise<ExistingOrder> => {
    const row = await getOrderRow(app.db, app.readSchema, orderId);
    if (row && row.userId === userId) return row;
    const fresh = await loadAggregate(app.store, app.store.subjects.order(userId, orderId), orderAggregate);
    if (fresh.state.status === 'NONE') throw new HttpError('ORDER_NOT_FOUND', `No order ${orderId}`);
    return fresh.state;
  };

  app.get(
    '/api/orders/:orderId',
    { schema: { tags: ['orders'], security, params: OrderIdParams, response: { 200: OrderResponse, 404: ErrorResponse } } },
    async (request) => ({ order: toOrderView(await ownOrder(request.user.sub, request.params.orderId)) }),
  );

  app.get(
    '/api/orders/:orderId/events',
    { schema: { tags: ['orders'], security, params: OrderIdParams, response: { 200: OrderEventsResponse, 404: ErrorResponse } } },
    async (request) => {
      const { sub } = request.user;
      await ownOrder(sub, request.params.orderId);
      const commits = await app.store.readSubject(app.store.subjects.order(sub, request.params.orderId));
      return {
        events: commits.flatMap((c) =>
          c.events.map((e) => ({ seq: c.seq, type: e.type, version: e.writtenVersion, at: e.occurredAt, data: e.data })),
        ),
      };
    },
  );
};

export default routes;
