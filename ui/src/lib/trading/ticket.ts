// The order ticket's rules, framework-free: what the trader typed → field errors (the server's own
// filters via checkFilters), the order value, the quick-size buttons and the request to send.
import { checkFilters } from '@blotter/orders';
import { dec, floorToStep, str } from '@blotter/orders/money';
import type { PlaceOrderRequest, Side, SymbolInfo, TimeInForce } from '@blotter/schemas';

export type TicketType = 'MARKET' | 'LIMIT' | 'STOP_LOSS_LIMIT';
export type TicketField = 'quantity' | 'price' | 'stopPrice' | 'notional' | 'symbol';

export interface TicketInput {
  side: Side;
  type: TicketType;
  quantity: string;
  price: string;
  stopPrice: string;
  timeInForce: TimeInForce;
}

export type FieldErrors = Partial<Record<TicketField | 'form', string>>;

/** The public contract's input decimal: no sign, no exponent, no spaces. */
const INPUT_DECIMAL = /^[0-9]{1,20}(\.[0-9]{1,18})?$/;

export const needsPrice = (type: TicketType): boolean => type !== 'MARKET';
export const needsStopPrice = (type: TicketType): boolean => type === 'STOP_LOSS_LIMIT';
export const hasTimeInForce = (type: TicketType): boolean => type !== 'MARKET';

/** The price the order's value is computed at: its limit price, or the last price for a market order. */
export function effectivePrice(input: Pick<TicketInput, 'type' | 'price'>, lastPrice: string | null): string | null {
  if (input.type === 'MARKET') return lastPrice;
  return INPUT_DECIMAL.test(input.price.trim()) ? input.price.trim() : null;
}

/** quantity × price as a decimal string, or null while either is missing. */
export function orderTotal(input: Pick<TicketInput, 'type' | 'price' | 'quantity'>, lastPrice: string | null): string | null {
  const price = effectivePrice(input, lastPrice);
  const quantity = input.quantity.trim();
  if (price === null || !INPUT_DECIMAL.test(quantity)) return null;
  return str(dec(price).times(quantity));
}

/** What the trader can spend: the quote asset's free balance to buy, the base asset's to sell. */
export function availableFor(side: Side, info: Pick<SymbolInfo, 'baseAsset' | 'quoteAsset'>, free: (asset: string) => string | null) {
  const asset = side === 'BUY' ? info.quoteAsset : info.baseAsset;
  return { asset, amount: free(asset) };
}

/**
 * Quantity for a 25/50/75/100 % button, floored to the step size so the venue accepts it (never
 * rounded up past what is available). Null when it cannot be computed (no balance or no price).
 */
export function quickQuantity(
  percent: number,
  side: Side,
  available: string | null,
  price: string | null,
  info: Pick<SymbolInfo, 'stepSize'>,
): string | null {
  if (available === null || !/^[0-9]+(\.[0-9]+)?$/.test(available)) return null;
  const share = dec(available).times(percent).div(100);
  let quantity: ReturnType<typeof dec>;
  if (side === 'BUY') {
    if (price === null || dec(price).lte(0)) return null;
    quantity = share.div(price);
  } else {
    quantity = share;
  }
  return str(floorToStep(quantity, info.stepSize));
}

function checkDecimal(label: string, value: string): string | null {
  if (value === '') return `Enter a ${label}`;
  if (!INPUT_DECIMAL.test(value)) return `The ${label} must be a plain number like 0.01`;
  if (dec(value).lte(0)) return `The ${label} must be greater than 0`;
  return null;
}

const FILTER_FIELD_LABEL: Record<string, string> = {
  price: 'Price',
  stopPrice: 'Stop price',
  quantity: 'Quantity',
  notional: 'Order value',
};

export interface TicketCheck {
  errors: FieldErrors;
  /** Present only when nothing blocks submission. */
  request: Omit<PlaceOrderRequest, 'clientOrderId'> | null;
}

/**
 * Checks the ticket the way the server will: decimal format first, then the symbol's filters
 * (checkFilters from @blotter/orders — the very function the gateway runs), then whether the
 * balance covers it. A market order's value is estimated at the last price.
 */
export function checkTicket(info: SymbolInfo, input: TicketInput, lastPrice: string | null, available: string | null): TicketCheck {
  const errors: FieldErrors = {};
  const quantity = input.quantity.trim();
  const price = input.price.trim();
  const stopPrice = input.stopPrice.trim();

  const qErr = checkDecimal('quantity', quantity);
  if (qErr) errors.quantity = qErr;
  if (needsPrice(input.type)) {
    const pErr = checkDecimal('price', price);
    if (pErr) errors.price = pErr;
  }
  if (needsStopPrice(input.type)) {
    const sErr = checkDecimal('stop price', stopPrice);
    if (sErr) errors.stopPrice = sErr;
  }
  if (Object.keys(errors).length > 0) return { errors, request: null };

  const failure = checkFilters(
    info,
    {
      side: input.side,
      type: input.type,
      quantity,
      price: needsPrice(input.type) ? price : null,
      stopPrice: needsStopPrice(input.type) ? stopPrice : null,
    },
    lastPrice,
  );
  if (failure) {
    const label = FILTER_FIELD_LABEL[failure.field] ?? failure.field;
    // The domain's reason starts with the field's code name ("stopPrice 1.001 is ..."): say it in words.
    const reason = failure.reason.replace(/^(price|stopPrice|quantity)\b/, label);
    errors[failure.field] = reason.charAt(0).toUpperCase() + reason.slice(1);
    return { errors, request: null };
  }

  if (available !== null && /^[0-9]+(\.[0-9]+)?$/.test(available)) {
    if (input.side === 'SELL' && dec(quantity).gt(available)) {
      errors.quantity = `Only ${available} ${info.baseAsset} available`;
    } else if (input.side === 'BUY') {
      const total = orderTotal(input, lastPrice);
      if (total !== null && dec(total).gt(available))
        errors.notional = `Order value ${total} exceeds the ${available} ${info.quoteAsset} available`;
    }
    if (Object.keys(errors).length > 0) return { errors, request: null };
  }

  const request: Omit<PlaceOrderRequest, 'clientOrderId'> = { symbol: info.symbol, side: input.side, type: input.type, quantity };
  if (needsPrice(input.type)) request.price = price;
  if (needsStopPrice(input.type)) request.stopPrice = stopPrice;
  // Binance requires a time in force on limit orders and stop-limits; only GTC rests as a stop.
  if (input.type === 'LIMIT') request.timeInForce = input.timeInForce;
  if (input.type === 'STOP_LOSS_LIMIT') request.timeInForce = 'GTC';
  return { errors, request };
}
