// Turns raw parameters into a NewOrder, rejecting what Binance rejects before any matching: missing
// or superfluous parameters per order type, bad enums, malformed numbers, excess precision.
import { decimalsOf } from '../decimal.ts';
import {
  DEFAULT_STP_MODE,
  type NewOrder,
  ORDER_TYPES,
  type OrderType,
  type RespType,
  type Side,
  STP_MODES,
  type StpMode,
  type TimeInForce,
} from '../engine/types.ts';
import { errors } from '../errors.ts';
import type { Market } from '../market/market.ts';
import type { Params } from '../params.ts';

/** Binance knows TRANSFER too; it needs trade groups, which this venue does not offer, so the symbol refuses it. */
const KNOWN_STP = [...STP_MODES, 'TRANSFER'];

function stpMode(p: Params): StpMode {
  const given = p.string('selfTradePreventionMode');
  if (given === undefined) return DEFAULT_STP_MODE;
  if (!KNOWN_STP.includes(given)) throw errors.illegalChars('selfTradePreventionMode', KNOWN_STP.join(', '));
  const mode = STP_MODES.find((m) => m === given);
  if (!mode) throw errors.stpModeNotAllowed();
  return mode;
}

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
  const sideName = p.required('side');
  const side: Side | undefined = sideName === 'BUY' || sideName === 'SELL' ? sideName : undefined;
  if (!side) throw errors.invalidSide();
  const typeName = p.required('type');
  const type = ORDER_TYPES.find((t) => t === typeName);
  if (!type) throw errors.invalidOrderType();
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
    side,
    type,
    ...(timeInForce ? { timeInForce } : {}),
    newOrderRespType: respType(p, type),
    selfTradePreventionMode: stpMode(p),
  };
  for (const name of ['quantity', 'quoteOrderQty', 'price', 'stopPrice'] as const) {
    const value = p.decimal(name);
    if (value === undefined) continue;
    if (decimalsOf(p.raw(name) ?? '') > ASSET_PRECISION) throw errors.tooMuchPrecision(name);
    order[name] = value;
  }
  const clientId = clientIdOf(p, 'newClientOrderId');
  if (clientId !== undefined) order.newClientOrderId = clientId;
  return order;
}

/** A client order id parameter, checked against Binance's alphabet and length. */
export function clientIdOf(p: Params, name: string): string | undefined {
  const id = p.string(name);
  if (id !== undefined && !CLIENT_ID_RE.test(id)) throw errors.illegalChars(name, CLIENT_ID_RANGE);
  return id;
}

function respType(p: Params, type: OrderType): RespType {
  const given = p.enumOf<RespType>('newOrderRespType', ['ACK', 'RESULT', 'FULL'], () =>
    errors.illegalChars('newOrderRespType', 'ACK, RESULT, FULL'),
  );
  // Binance's documented defaults: MARKET and LIMIT answer FULL, every other type ACK.
  return given ?? (type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK');
}
