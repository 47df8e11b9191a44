// Alert events, on the user's own alert subject (`<ns>.evt.<p>.<userId>.alert.<alertId>`): inside
// the user's scope, so they are ordered and guarded with the rest of the user's events, and each
// alert is its own hash chain like an order.
import Type from 'typebox';
import { defineEvent } from '../event.ts';
import { Decimal, Id, MarketSymbol } from '../primitives.ts';
import { ALERT_EXAMPLE_ID, ALERT_EXAMPLE_USER, AlertCondition, AlertNote } from './alert.ts';

const ids = { alertId: ALERT_EXAMPLE_ID, userId: ALERT_EXAMPLE_USER };

export const AlertSet = defineEvent({
  type: 'AlertSet',
  description: 'A trader set a price alert (POST /api/alerts). Its time is the event time.',
  versions: [
    Type.Object(
      { alertId: Id, userId: Id, symbol: MarketSymbol, condition: AlertCondition, price: Decimal, note: AlertNote },
      { additionalProperties: false },
    ),
  ],
  examples: [{ ...ids, symbol: 'BTCUSDT', condition: 'ABOVE', price: '70000', note: 'take profit?' }],
});

export const AlertCancelled = defineEvent({
  type: 'AlertCancelled',
  description: 'The trader cancelled an active alert (DELETE /api/alerts/:alertId).',
  versions: [Type.Object({ alertId: Id, userId: Id }, { additionalProperties: false })],
  examples: [ids],
});

export const AlertTriggered = defineEvent({
  type: 'AlertTriggered',
  description: 'The market price crossed an active alert; recorded once, with the crossing price.',
  versions: [Type.Object({ alertId: Id, userId: Id, symbol: MarketSymbol, price: Decimal }, { additionalProperties: false })],
  examples: [{ ...ids, symbol: 'BTCUSDT', price: '70001.5' }],
});

export const alertEvents = [AlertSet, AlertCancelled, AlertTriggered] as const;
