// Alert commands, in the imperative. Like every command they carry their time and ids, so the
// alert deciders stay pure; TriggerAlert also carries the market price the evaluator saw.
import Type, { type Static } from 'typebox';
import { Decimal, Id, MarketSymbol, Timestamp } from '../primitives.ts';
import { ALERT_EXAMPLE_ID, ALERT_EXAMPLE_USER, AlertCondition, AlertNote } from './alert.ts';

const AT = '2026-11-24T12:00:00.000Z';
const meta = {
  /** Also the commit's `Nats-Msg-Id`: a retried command is stored once. */
  commandId: Type.String({ minLength: 1, maxLength: 128 }),
  userId: Id,
  alertId: Id,
  at: Timestamp,
};

export const SetAlert = Type.Object(
  { ...meta, symbol: MarketSymbol, condition: AlertCondition, price: Decimal, note: AlertNote },
  {
    additionalProperties: false,
    examples: [
      {
        commandId: `alert-${ALERT_EXAMPLE_ID}`,
        userId: ALERT_EXAMPLE_USER,
        alertId: ALERT_EXAMPLE_ID,
        at: AT,
        symbol: 'BTCUSDT',
        condition: 'ABOVE',
        price: '70000',
        note: 'take profit?',
      },
    ],
  },
);
export type SetAlert = Static<typeof SetAlert>;

export const CancelAlert = Type.Object(
  { ...meta },
  {
    additionalProperties: false,
    examples: [{ commandId: 'cancel-alert-1', userId: ALERT_EXAMPLE_USER, alertId: ALERT_EXAMPLE_ID, at: AT }],
  },
);
export type CancelAlert = Static<typeof CancelAlert>;

export const TriggerAlert = Type.Object(
  { ...meta, symbol: MarketSymbol, price: Decimal },
  {
    additionalProperties: false,
    examples: [
      {
        commandId: `trigger-${ALERT_EXAMPLE_ID}`,
        userId: ALERT_EXAMPLE_USER,
        alertId: ALERT_EXAMPLE_ID,
        at: '2026-11-24T12:30:00.000Z',
        symbol: 'BTCUSDT',
        price: '70001.5',
      },
    ],
  },
);
export type TriggerAlert = Static<typeof TriggerAlert>;

export const alertCommands = { SetAlert, CancelAlert, TriggerAlert } as const;
