// SIGNED trading endpoints: new/test/query/cancel order, open orders, all orders.
import type { FastifyPluginAsync } from 'fastify';
import { randomKey } from '../../engine/accounts.ts';
import type { OrderRef } from '../../engine/exchange.ts';
import { parseNewOrder } from '../../engine/order-request.ts';
import { ackView, cancelView, fullView, orderView, resultView } from '../../engine/views.ts';
import { errors } from '../../errors.ts';
import type { Params } from '../../params.ts';
import type { Simulator } from '../../simulator.ts';
import { authenticate } from '../auth.ts';

const orderRef = (p: Params): OrderRef => {
  const orderId = p.integer('orderId');
  const origClientOrderId = p.string('origClientOrderId');
  if (orderId === undefined && origClientOrderId === undefined) throw errors.eitherParam('origClientOrderId', 'orderId');
  return { ...(orderId !== undefined ? { orderId } : {}), ...(origClientOrderId !== undefined ? { origClientOrderId } : {}) };
};

export const tradeRoutes: FastifyPluginAsync<{ sim: Simulator }> = async (app, { sim }) => {
  const { exchange, market } = sim;

  app.post('/api/v3/order', async (req) => {
    const { account, params, now } = authenticate(sim, req);
    const request = parseNewOrder(params, market);
    const { order, fills } = exchange.place(account, request, now);
    if (request.newOrderRespType === 'ACK') return ackView(order, now);
    if (request.newOrderRespType === 'RESULT') return resultView(order, now);
    return fullView(order, now, fills);
  });

  app.post('/api/v3/order/test', async (req) => {
    const { account, params, now } = authenticate(sim, req);
    exchange.validate(account, parseNewOrder(params, market), now);
    return {};
  });

  app.get('/api/v3/order', async (req) => {
    const { account, params } = authenticate(sim, req);
    const order = exchange.find(account, params.required('symbol'), orderRef(params));
    if (!order) throw errors.noSuchOrder();
    return orderView(order);
  });

  app.delete('/api/v3/order', async (req) => {
    const { account, params, now } = authenticate(sim, req);
    const symbol = params.required('symbol');
    const cancelId = params.string('newClientOrderId') ?? randomKey(22);
    const order = exchange.cancel(account, symbol, orderRef(params), cancelId, now);
    return cancelView(order, cancelId, now);
  });

  app.get('/api/v3/openOrders', async (req) => {
    const { account, params } = authenticate(sim, req);
    const symbol = params.string('symbol');
    if (symbol !== undefined) market.spec(symbol);
    return account.openOrders(symbol).map(orderView);
  });

  app.delete('/api/v3/openOrders', async (req) => {
    const { account, params, now } = authenticate(sim, req);
    const symbol = params.required('symbol');
    market.spec(symbol);
    return exchange.cancelAll(account, symbol, now).map(({ order, cancelClientId }) => cancelView(order, cancelClientId, now));
  });

  app.get('/api/v3/allOrders', async (req) => {
    const { account, params } = authenticate(sim, req);
    const symbol = params.required('symbol');
    market.spec(symbol);
    const fromId = params.integer('orderId');
    const start = params.integer('startTime');
    const end = params.integer('endTime');
    const limit = params.limit('limit', 500, 1000);
    const matching = account.orders.filter(
      (o) =>
        o.symbol === symbol &&
        (fromId === undefined || o.orderId >= fromId) &&
        (start === undefined || o.time >= start) &&
        (end === undefined || o.time <= end),
    );
    // With orderId the page starts there; otherwise Binance answers with the most recent orders.
    const page = fromId !== undefined ? matching.slice(0, limit) : matching.slice(-limit);
    return page.map(orderView);
  });
};
