// The order as readers see it (the public Order schema), from the aggregate state.
import type { Order } from '@blotter/schemas';
import { dec, str } from '../money.ts';
import type { ExistingOrder } from './state.ts';

export function toOrderView(o: ExistingOrder): Order {
  const filled = dec(o.filledQuantity);
  return {
    orderId: o.orderId,
    userId: o.userId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    quantity: o.quantity,
    price: o.price,
    stopPrice: o.stopPrice,
    status: o.status,
    filledQuantity: o.filledQuantity,
    // Volume-weighted over every fill, not the first fill's price.
    avgFillPrice: filled.gt(0) ? str(dec(o.cumulativeQuote).div(filled)) : null,
    fee: o.fee,
    feeAsset: o.fees.length > 0 ? o.quoteAsset : null,
    fees: o.fees,
    venue: o.venue,
    venueOrderId: o.venueOrderId,
    reason: o.reason,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    version: o.version,
  };
}
