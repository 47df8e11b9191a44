// Checks an order request before it leaves the process. The executor's pre-trade checks make these
// impossible in practice; the point is that the library never sees a combination it would refuse
// locally (it throws on a stopPrice for a non-stop type, for instance), which would otherwise surface
// as an error nobody can tell from a venue failure.
import { InvalidOrderRequestError } from './errors.ts';
import type { VenueOrderRequest } from './types.ts';

const DECIMAL = /^[0-9]{1,20}(\.[0-9]{1,18})?$/;
/** Binance's rule for client order ids. */
const CLIENT_ORDER_ID = /^[.A-Za-z0-9:/_-]{1,36}$/;

export function assertValidOrderRequest(req: VenueOrderRequest): void {
  const problems: string[] = [];
  const positive = (name: string, value: string | null) => {
    if (value === null || !DECIMAL.test(value) || /^[0.]+$/.test(value))
      problems.push(`${name} must be a positive decimal string, got ${value}`);
  };
  const absent = (name: string, value: string | null) => {
    if (value !== null) problems.push(`${name} must be null for ${req.type}`);
  };
  if (!CLIENT_ORDER_ID.test(req.clientOrderId))
    problems.push(`clientOrderId ${JSON.stringify(req.clientOrderId)} is not a Binance client order id`);
  positive('quantity', req.quantity);
  if (req.type === 'MARKET') {
    absent('price', req.price);
    absent('stopPrice', req.stopPrice);
    if (req.timeInForce !== null) problems.push('timeInForce must be null for MARKET');
  } else {
    positive('price', req.price);
    if (req.timeInForce === null) problems.push(`timeInForce is required for ${req.type}`);
    if (req.type === 'LIMIT') absent('stopPrice', req.stopPrice);
    else positive('stopPrice', req.stopPrice);
  }
  if (problems.length > 0) throw new InvalidOrderRequestError(`invalid order request ${req.clientOrderId}: ${problems.join('; ')}`);
}
