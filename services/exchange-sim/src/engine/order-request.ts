// Turns raw parameters into a NewOrder, rejecting what Binance rejects before any matching: missing
// or superfluous parameters per order type, bad enums, malformed numbers, excess precision.
import { errors } from '../errors.ts';
import type { Market } from '../market/market.ts';
import type { Params } from '../params.ts';
import { decimalsOf } from '../decimal.ts';
import { type NewOrder, ORDER_TYPES, type OrderType, type RespType, type Side, STP_MODES, type TimeInForce } from './types.ts';

const CLIENT_ID_RANGE = '^[a-zA-Z0-9-_]{1,36}$';
const CLIENT_ID_RE = new RegExp(CLIENT_ID_RANGE);
const ASSET_PRECISION = 8;

type Field = 'quantity' | 'price' | 'stopPrice' | 'timeInForce';
const NEEDS: Record<OrderType, readonly Field[]> = {
  LIMIT: ['timeInForce', 'quantity', 'price'],
  MARKET: [],
  STOP_LOSS: ['quantity', 'stopPrice'],
  TAKE_PROFIT: ['quantity', 'stopPrice'],
  STOP_LOSS_LIMIT: ['timeInForce', 'quantity', 'price', 'stopPrice'],
  TAKE_PROFIT_LIMIT: ['timeInForce', 'quantity', 'price', 'stopPrice'],
  LIMIT_MAKER: ['quantity', 'price'],
};
const OPTIONAL: readonly Field[] = ['price', 'stopPrice', 'timeInForce'];
// Real Binance features this simulator does not model; refusing them beats silently ignoring them.
const UNSUPPORTED = ['trailingDelta', 'icebergQty', 'strategyId', 'strategyType', 'pegPriceType', 'pegOffsetValue', 'pegOffsetType'];

export function parseNewOrder(p: Params, market: Market): NewOrder {
  const symbol = p.required('symbol');
  market.spec(symbol);
  const side = p.required('side');
  if (side !== 'BUY' && side !== 'SELL') throw errors.invalidSide();
  const type = p.required('type') as OrderType;
  if (!ORDER_TYPES.includes(type)) throw errors.invalidOrderType();
  const timeInForce = p.enumOf<TimeInForce>('timeInForce', ['GTC', 'IOC', 'FOK'], errors.invalidTimeInForce);

  const needs = NEEDS[type];
  for (const field of needs) if (!p.has(field)) throw errors.mandatory(field);
  for (const field of OPTIONAL) if (!needs.includes(field) && p.has(field)) throw errors.notRequired(field);
  for (const field of UNSUPPORTED) if (p.has(field)) throw errors.notRequired(field);
  if (type === 'MARKET') {
    if (!p.has('quantity') && !p.has('quoteOrderQty')) throw errors.eitherParam('quantity', 'quoteOrderQty');
    if (p.has('quantity') && p.has('quoteOrderQty')) throw errors.notRequired('quoteOrderQty');
  } else if (p.has('quoteOrderQty')) {
    throw errors.notRequired('quoteOrderQty');
  }

  const order: NewOrder = {
    symbol,
    side: side as Side,
    type,
    ...(timeInForce ? { timeInForce } : {}),
    newOrderRespType: respType(p, type),
    selfTradePreventionMode:
      p.enumOf('selfTradePreventionMode', STP_MODES, () => errors.illegalChars('selfTradePreventionMode', STP_MODES.join(', '))) ??
      'EXPIRE_MAKER',
  };
  for (const name of ['quantity', 'quoteOrderQty', 'price', 'stopPrice'] as const) {
    const value = p.decimal(name);
    if (value === undefined) continue;
    if (decimalsOf(p.raw(name) ?? '') > ASSET_PRECISION) throw errors.tooMuchPrecision(name);
    order[name] = value;
  }
  const clientId = p.string('newClientOrderId');
  if (clientId !== undefined) {
    if (!CLIENT_ID_RE.test(clientId)) throw errors.illegalChars('newClientOrderId', CLIENT_ID_RANGE);
    order.newClientOrderId = clientId;
  }
  return order;
}

function respType(p: Params, type: OrderType): RespType {
  const given = p.enumOf<RespType>('newOrderRespType', ['ACK', 'RESULT', 'FULL'], () =>
    errors.illegalChars('newOrderRespType', 'ACK, RESULT, FULL'),
  );
  // Binance's documented defaults: MARKET and LIMIT answer FULL, every other type ACK.
  return given ?? (type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK');
}
