// Bodies of /api/alerts (../shared/API.md "Price alerts").
import Type, { type Static } from 'typebox';
import { Decimal, Id, MarketSymbol } from '../primitives.ts';
import { ALERT_EXAMPLE, Alert, AlertCondition, AlertNote } from './alert.ts';

export const SetAlertRequest = Type.Object(
  { symbol: MarketSymbol, condition: AlertCondition, price: Decimal, note: Type.Optional(AlertNote) },
  {
    additionalProperties: false,
    examples: [
      { symbol: 'BTCUSDT', condition: 'ABOVE', price: '70000', note: 'take profit?' },
      { symbol: 'ETHUSDT', condition: 'BELOW', price: '2500' },
    ],
  },
);
export type SetAlertRequest = Static<typeof SetAlertRequest>;

export const AlertResponse = Type.Object({ alert: Alert }, { additionalProperties: false, examples: [{ alert: ALERT_EXAMPLE }] });
export type AlertResponse = Static<typeof AlertResponse>;

export const ListAlertsQuery = Type.Object(
  { status: Type.Optional(Type.Enum(['active', 'triggered', 'all'])) },
  { additionalProperties: false },
);
export type ListAlertsQuery = Static<typeof ListAlertsQuery>;

export const AlertList = Type.Object(
  { alerts: Type.Array(Alert), version: Type.Integer() },
  { additionalProperties: false, examples: [{ alerts: [ALERT_EXAMPLE], version: 57 }] },
);
export type AlertList = Static<typeof AlertList>;

export const AlertIdParams = Type.Object({ alertId: Id }, { additionalProperties: false });
