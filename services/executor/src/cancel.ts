// Taking a cancel request to the venue. A cancel refused because the venue has no open order
// (-2011) is not retried (that storm is how IPs get banned): the order is looked up once, and what
// the venue knows (usually: it filled) is recorded; otherwise the refusal is.
import { VENUE_WORKING_STATUSES } from '@blotter/schemas';
import { currentOrder, type OrderRef, record, recordCancelRejection, recordReport } from './record.ts';
import type { SubmitDeps, SubmitResult } from './submit.ts';
import { VenueRateLimitedError, VenueRejectedError, VenueUnavailableError, VenueUnknownOutcomeError } from './venue/types.ts';

const UNKNOWN_ORDER = -2011;
const WORKING: ReadonlySet<string> = new Set(VENUE_WORKING_STATUSES);

export async function cancelAtVenue(deps: SubmitDeps, ref: OrderRef, causationId: string): Promise<SubmitResult> {
  const ledger = deps.ledger;
  const order = await currentOrder(ledger, ref);
  if (order.status !== 'PENDING_CANCEL') return { kind: 'done', open: false };
  try {
    const venue = await deps.venues.forUser(ref.userId, order.venue);
    if (order.venueOrderId === null) {
      // The placement has not been confirmed (it may be waiting out a rate limit): if the venue
      // does not have it, the order is canceled here and its placement will find it closed.
      const known = await venue.queryOrder(order.symbol, order.orderId);
      if (!known) {
        await record(
          ledger,
          ref,
          { venueOrderId: null, venueStatus: 'CANCELED', fills: [], code: null, reason: 'canceled before it reached the venue' },
          causationId,
        );
        return { kind: 'done', open: false };
      }
    }
    try {
      const report = await venue.cancelOrder(order.symbol, order.orderId);
      // The cancel's answer carries no fills, only executedQty: fills made just before it are
      // fetched by recordReport before the order is recorded canceled.
      await recordReport(ledger, venue, ref, report, causationId, 'canceled by the trader');
    } catch (err) {
      if (!(err instanceof VenueRejectedError) || err.code !== UNKNOWN_ORDER) throw err;
      const known = await venue.queryOrder(order.symbol, order.orderId);
      if (known && !WORKING.has(known.status)) await recordReport(ledger, venue, ref, known, causationId);
      else await recordCancelRejection(ledger, ref, String(err.code), err.message);
    }
    return { kind: 'done', open: false };
  } catch (err) {
    if (err instanceof VenueRejectedError) {
      await recordCancelRejection(ledger, ref, String(err.code), err.message);
      return { kind: 'done', open: false };
    }
    if (err instanceof VenueRateLimitedError) return { kind: 'retry', delayMs: err.retryAfterMs, reason: err.message };
    if (err instanceof VenueUnavailableError || err instanceof VenueUnknownOutcomeError)
      return { kind: 'retry', delayMs: 2000, reason: err.message };
    throw err;
  }
}
