// Trading (rest-api.md "Trading endpoints"): new order, test order, cancel, cancel all,
// cancel-replace and amend-keep-priority.
import { decimalsOf } from '../decimal.ts';
import { type Account, randomKey } from '../engine/accounts.ts';
import type { CancelRestriction, OrderRef, PlaceResult } from '../engine/exchange.ts';
import type { NewOrder, RespType } from '../engine/types.ts';
import { BinanceError, errors } from '../errors.ts';
import type { Params } from '../params.ts';
import type { Simulator } from '../simulator.ts';
import { commissionRates } from './commission-rates.ts';
import type { Endpoint } from './endpoint.ts';
import { clientIdOf, parseNewOrder } from './order-request.ts';
import { ackView, amendedView, cancelView, fullView, resultView } from './views.ts';

export const orderRef = (p: Params, idName = 'orderId', clientName = 'origClientOrderId'): OrderRef => {
  const orderId = p.integer(idName);
  const origClientOrderId = p.string(clientName);
  if (orderId === undefined && origClientOrderId === undefined) throw errors.eitherParam(clientName, idName);
  return { ...(orderId !== undefined ? { orderId } : {}), ...(origClientOrderId !== undefined ? { origClientOrderId } : {}) };
};

const restriction = (p: Params): CancelRestriction | undefined =>
  p.enumOf('cancelRestrictions', ['ONLY_NEW', 'ONLY_PARTIALLY_FILLED'] as const, errors.invalidCancelRestrictions);

export function placedView(r: PlaceResult, respType: RespType, now: number): Record<string, unknown> {
  if (respType === 'ACK') return ackView(r.order, now);
  if (respType === 'RESULT') return resultView(r.order, now);
  return fullView(r.order, now, r.fills, r.prevented);
}

function cancelReplace(sim: Simulator, account: Account, p: Params, now: number): Record<string, unknown> {
  const mode = p.enumOf('cancelReplaceMode', ['STOP_ON_FAILURE', 'ALLOW_FAILURE'] as const, () => errors.invalidParam('cancelReplaceMode'));
  if (!mode) throw errors.mandatory('cancelReplaceMode');
  const onLimit =
    p.enumOf('orderRateLimitExceededMode', ['DO_NOTHING', 'CANCEL_ONLY'] as const, () =>
      errors.invalidParam('orderRateLimitExceededMode'),
    ) ?? 'DO_NOTHING';
  const symbol = p.required('symbol');
  const ref = orderRef(p, 'cancelOrderId', 'cancelOrigClientOrderId');
  const cancelClientId = clientIdOf(p, 'cancelNewClientOrderId') ?? randomKey(22);
  const cancelRestriction = restriction(p);
  const { exchange, market } = sim;
  return exchange.op(now, () => {
    // Filters and the order count are evaluated before anything is canceled (rest-api.md).
    let newError: BinanceError | undefined;
    try {
      exchange.orderCounter.check(account.apiKey, now);
    } catch (e) {
      if (!(e instanceof BinanceError) || onLimit === 'DO_NOTHING') throw e;
      newError = e;
    }
    const request: NewOrder = parseNewOrder(p, market);
    if (!newError) {
      const replaced = exchange.find(account, symbol, ref);
      try {
        exchange.validate(account, request, now, replaced);
      } catch (e) {
        if (!(e instanceof BinanceError)) throw e;
        newError = e;
      }
    }
    let canceled: Record<string, unknown> | undefined;
    let cancelError: BinanceError | undefined;
    try {
      canceled = cancelView(exchange.cancel(account, symbol, ref, cancelClientId, now, cancelRestriction), cancelClientId, now);
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      cancelError = e;
    }
    if (cancelError && mode === 'STOP_ON_FAILURE') {
      throw errors.cancelReplaceFailed({
        cancelResult: 'FAILURE',
        newOrderResult: 'NOT_ATTEMPTED',
        cancelResponse: cancelError.toJSON(),
        newOrderResponse: null,
      });
    }
    let placed: Record<string, unknown> | undefined;
    if (!newError) {
      try {
        placed = placedView(exchange.place(account, request, now), request.newOrderRespType, now);
      } catch (e) {
        if (!(e instanceof BinanceError)) throw e;
        newError = e;
      }
    }
    const data = {
      cancelResult: cancelError ? 'FAILURE' : 'SUCCESS',
      newOrderResult: newError ? 'FAILURE' : 'SUCCESS',
      cancelResponse: cancelError ? cancelError.toJSON() : canceled,
      newOrderResponse: newError ? newError.toJSON() : placed,
    };
    if (!cancelError && !newError) return data;
    if (cancelError && newError) throw errors.cancelReplaceFailed(data);
    const partial = errors.cancelReplacePartial(data);
    // CANCEL_ONLY over the order limit: the cancel happened, the answer is still a 429.
    if (newError?.code === -1015) throw new BinanceError(partial.code, partial.message, 429, data, newError.retryAfterSeconds);
    throw partial;
  });
}

export const trading: Endpoint[] = [
  {
    rest: { method: 'POST', path: '/api/v3/order' },
    ws: 'order.place',
    security: 'TRADE',
    weight: 1,
    placesOrders: true,
    run: (c) => {
      const request = parseNewOrder(c.params, c.sim.market);
      return placedView(c.sim.exchange.place(c.account, request, c.now), request.newOrderRespType, c.now);
    },
  },
  {
    rest: { method: 'POST', path: '/api/v3/order/test' },
    ws: 'order.test',
    security: 'TRADE',
    weight: (p) => (p.string('computeCommissionRates') === 'true' ? 20 : 1),
    run: (c) => {
      const compute = c.params.boolean('computeCommissionRates') ?? false;
      const request = parseNewOrder(c.params, c.sim.market);
      c.sim.exchange.validate(c.account, request, c.now);
      if (!compute) return {};
      const r = commissionRates(c.sim, c.account);
      return {
        standardCommissionForOrder: { maker: r.standard.maker, taker: r.standard.taker },
        specialCommissionForOrder: { maker: r.special.maker, taker: r.special.taker },
        taxCommissionForOrder: { maker: r.tax.maker, taker: r.tax.taker },
        discount: r.discount,
      };
    },
  },
  {
    rest: { method: 'DELETE', path: '/api/v3/order' },
    ws: 'order.cancel',
    security: 'TRADE',
    weight: 1,
    run: (c) => {
      const symbol = c.params.required('symbol');
      const ref = orderRef(c.params);
      const cancelId = clientIdOf(c.params, 'newClientOrderId') ?? randomKey(22);
      const order = c.sim.exchange.cancel(c.account, symbol, ref, cancelId, c.now, restriction(c.params));
      return cancelView(order, cancelId, c.now);
    },
  },
  {
    rest: { method: 'DELETE', path: '/api/v3/openOrders' },
    ws: 'openOrders.cancelAll',
    security: 'TRADE',
    weight: 1,
    run: (c) => {
      const symbol = c.params.required('symbol');
      return c.sim.exchange
        .cancelAll(c.account, symbol, c.now)
        .map(({ order, cancelClientId }) => cancelView(order, cancelClientId, c.now));
    },
  },
  {
    rest: { method: 'POST', path: '/api/v3/order/cancelReplace' },
    ws: 'order.cancelReplace',
    security: 'TRADE',
    weight: 1,
    placesOrders: true,
    run: (c) => cancelReplace(c.sim, c.account, c.params, c.now),
  },
  {
    rest: { method: 'PUT', path: '/api/v3/order/amend/keepPriority' },
    ws: 'order.amend.keepPriority',
    security: 'TRADE',
    weight: 4,
    run: (c) => {
      const symbol = c.params.required('symbol');
      c.sim.market.spec(symbol);
      const newQty = c.params.decimal('newQty');
      if (newQty === undefined) throw errors.mandatory('newQty');
      if (newQty.lte(0)) throw errors.invalidParam('newQty');
      if (decimalsOf(c.params.raw('newQty') ?? '') > 8) throw errors.tooMuchPrecision('newQty');
      const r = c.sim.exchange.amend(c.account, symbol, orderRef(c.params), newQty, clientIdOf(c.params, 'newClientOrderId'), c.now);
      return { transactTime: c.now, executionId: r.executionId, amendedOrder: amendedView(r.order, r.origClientOrderId) };
    },
  },
];
