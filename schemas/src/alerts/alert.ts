// A price alert: what the trader asked for (symbol, side of the price, the price, a note) and what
// became of it. The same shape is the read-model row, the HTTP body and the WebSocket `alerts`
// channel's data, and (keyed by id) the alert aggregate's state the deciders read.
import Type, { type Static } from 'typebox';
import { Decimal, Id, MarketSymbol, Nullable, Timestamp } from '../primitives.ts';

export const ALERT_EXAMPLE_USER = '0192f4a7-0000-7000-8000-000000000001';
export const ALERT_EXAMPLE_ID = '0192f4b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b';

/** ABOVE fires at the first price at or above `price`; BELOW at the first at or below it. */
export const AlertCondition = Type.Enum(['ABOVE', 'BELOW']);
export type AlertCondition = Static<typeof AlertCondition>;

export const AlertStatus = Type.Enum(['ACTIVE', 'TRIGGERED', 'CANCELED']);
export type AlertStatus = Static<typeof AlertStatus>;

/** A trader's note, shown with the toast. Plain text, one line or a few. */
export const AlertNote = Type.String({ maxLength: 200 });

/** A triggered alert, as every example that shows one uses it. */
export const ALERT_EXAMPLE = {
  alertId: ALERT_EXAMPLE_ID,
  userId: ALERT_EXAMPLE_USER,
  symbol: 'BTCUSDT',
  condition: 'ABOVE' as const,
  price: '70000',
  note: 'take profit?',
  status: 'TRIGGERED' as const,
  createdAt: '2026-11-24T12:00:00.000Z',
  triggeredAt: '2026-11-24T12:30:00.000Z',
  triggerPrice: '70001.5',
  version: 57,
};

export const Alert = Type.Object(
  {
    alertId: Id,
    userId: Id,
    symbol: MarketSymbol,
    condition: AlertCondition,
    price: Decimal,
    note: Type.String({ maxLength: 200 }),
    status: AlertStatus,
    createdAt: Timestamp,
    /** When the evaluator saw the crossing price; null until triggered. */
    triggeredAt: Nullable(Timestamp),
    /** The market price that crossed the alert's price; null until triggered. */
    triggerPrice: Nullable(Decimal),
    /** Stream sequence of the last event applied to this alert. */
    version: Type.Integer(),
  },
  {
    additionalProperties: false,
    examples: [ALERT_EXAMPLE],
  },
);
export type Alert = Static<typeof Alert>;

/**
 * The alert aggregate: every alert of one user, keyed by id, folded from the user's alert events.
 * Kept as a separate state next to the account aggregate but over the same scope (all of the
 * user's events), so an alert append is guarded by the same optimistic-concurrency check.
 */
export const AlertsAggregate = Type.Object(
  { alerts: Type.Record(Type.String(), Alert) },
  { additionalProperties: false, examples: [{ alerts: {} }] },
);
export type AlertsAggregate = Static<typeof AlertsAggregate>;
