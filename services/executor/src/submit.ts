// Taking a placed order to the venue, so that the venue ends up with exactly one order per client
// order id whatever fails:
//  - an order this executor (or an earlier run) already reported on is not submitted again;
//  - on a redelivery, or for an order that waited long, the venue is asked first (by our client
//    order id, which is the order id) and what it knows is recorded instead;
//  - an unknown outcome (timeout, 5xx, -1007) is never retried blindly: we wait until the venue can
//    no longer accept the lost request (its recvWindow has passed), then look the order up; only if
//    the venue still does not know it is it submitted again;
//  - a rate limit or an unreachable venue leaves the message to be redelivered later (nak with delay).
import type { Logger } from '@blotter/eventstore';
import { setTimeout as delay } from 'node:timers/promises';
import { type ExistingOrder, marketBuyPriceBound } from '@blotter/orders';
import { type OrderStatus, RESTING_STATUSES, type SymbolInfo } from '@blotter/schemas';
import { currentOrder, type Ledger, type OrderRef, record, recordReport, rejection } from './record.ts';
import { MissingVenueKeysError, type VenueRegistry } from './venues.ts';
import {
  type VenueClient,
  type VenueOrderReport,
  type VenueOrderRequest,
  VenueRateLimitedError,
  VenueRejectedError,
  VenueUnavailableError,
  VenueUnknownOutcomeError,
} from './venue/types.ts';

export type SubmitResult = { kind: 'done'; open: boolean } | { kind: 'retry'; delayMs: number; reason: string };

export interface SubmitDeps {
  ledger: Ledger;
  venues: VenueRegistry;
  /** The venue's recvWindow: after it, a lost request can no longer be accepted. */
  recvWindowMs: number;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
}

/** Orders older than this are looked up at the venue before being submitted. */
const LOOKUP_FIRST_AFTER_MS = 10_000;
/** Binance's "Invalid symbol." */
const UNKNOWN_SYMBOL = -1121;
const RESTING: ReadonlySet<string> = new Set(RESTING_STATUSES);

export async function submitPlacedOrder(deps: SubmitDeps, ref: OrderRef, redelivered: boolean, causationId: string): Promise<SubmitResult> {
  const sleep = deps.sleep ?? delay;
  const order = await currentOrder(deps.ledger, ref);
  if (order.status !== 'PENDING_NEW' || order.venueOrderId !== null) return { kind: 'done', open: isResting(order.status) };

  let venue: VenueClient;
  try {
    venue = await deps.venues.forUser(ref.userId, order.venue);
  } catch (err) {
    if (err instanceof MissingVenueKeysError) {
      await record(deps.ledger, ref, rejection('NO_VENUE_KEYS', `no ${order.venue} API keys are stored for this account`), causationId);
      return { kind: 'done', open: false };
    }
    if (err instanceof VenueUnavailableError) return { kind: 'retry', delayMs: 2000, reason: err.message };
    throw err;
  }

  const placedAt = Date.parse(order.createdAt);
  const lookUpFirst = redelivered || Date.now() - placedAt > LOOKUP_FIRST_AFTER_MS;
  try {
    if (lookUpFirst) {
      const known = await venue.queryOrder(order.symbol, order.orderId);
      if (known) return done(await recordReport(deps.ledger, venue, ref, known, causationId));
    }
    for (let attempt = 1; ; attempt++) {
      const sentAt = Date.now();
      try {
        const request = requestOf(order, await symbolOf(venue, order.symbol));
        return done(await recordReport(deps.ledger, venue, ref, await venue.placeOrder(request), causationId));
      } catch (err) {
        if (!(err instanceof VenueUnknownOutcomeError) || attempt >= 3) throw err;
        deps.log.warn(
          { orderId: order.orderId, err: err.message },
          'venue outcome unknown; waiting out the recvWindow before looking it up',
        );
        await sleep(Math.max(0, sentAt + deps.recvWindowMs + 1000 - Date.now()));
        const known = await lookUp(venue, order, sleep);
        if (known) return done(await recordReport(deps.ledger, venue, ref, known, causationId));
      }
    }
  } catch (err) {
    if (err instanceof VenueRejectedError) {
      await record(deps.ledger, ref, rejection(String(err.code), err.message), causationId);
      return { kind: 'done', open: false };
    }
    if (err instanceof VenueRateLimitedError) return { kind: 'retry', delayMs: err.retryAfterMs, reason: err.message };
    if (err instanceof VenueUnavailableError || err instanceof VenueUnknownOutcomeError)
      return { kind: 'retry', delayMs: 2000, reason: err.message };
    throw err;
  }
}

/** Looks an order up, retrying a lookup that itself has an unknown outcome. */
async function lookUp(venue: VenueClient, order: ExistingOrder, sleep: (ms: number) => Promise<void>): Promise<VenueOrderReport | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await venue.queryOrder(order.symbol, order.orderId);
    } catch (err) {
      if (!(err instanceof VenueUnknownOutcomeError) || attempt >= 5) throw err;
      await sleep(500 * attempt);
    }
  }
}

/** Resting at the venue: acknowledged and not closed. */
export const isResting = (status: OrderStatus | 'NONE' | null): boolean => status !== null && status !== 'NONE' && RESTING.has(status);
const done = (status: OrderStatus | null): SubmitResult => ({ kind: 'done', open: isResting(status) });

/** The symbol's filters as the venue lists them (cached by the client); null if it lists no such symbol. */
async function symbolOf(venue: VenueClient, symbol: string): Promise<SymbolInfo | null> {
  return (await venue.exchangeInfo()).find((s) => s.symbol === symbol) ?? null;
}

/**
 * The venue request for an order. A MARKET BUY goes as a LIMIT IOC at the price its reservation
 * covers (marketBuyPriceBound), so no fill can cost more than was reserved.
 */
export function requestOf(o: ExistingOrder, info: SymbolInfo | null): VenueOrderRequest {
  const request: VenueOrderRequest = {
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    price: o.price,
    stopPrice: o.stopPrice,
    timeInForce: o.type === 'MARKET' ? null : o.timeInForce,
    clientOrderId: o.orderId,
  };
  if (o.type !== 'MARKET' || o.side !== 'BUY') return request;
  if (!info) throw new VenueRejectedError(UNKNOWN_SYMBOL, `${o.symbol} is not listed by the venue; a MARKET BUY cannot be bounded`);
  return { ...request, type: 'LIMIT', price: marketBuyPriceBound(o, info), timeInForce: 'IOC' };
}
