// Operator controls: the kill switch. One aggregate for the whole system, on the subject
// `<ns>.evt.<p>.<SYSTEM_USER_ID>.control`, so every halt and resume is on the record.
import Type from 'typebox';
import { defineEvent } from '../event.ts';

/** The nil UUID stands for "the system" where an envelope needs a user id. */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';

export const TradingHalted = defineEvent({
  type: 'TradingHalted',
  description: 'An operator halted trading: new orders are denied (TRADING_HALTED); cancels still go through.',
  versions: [
    Type.Object({ by: Type.String({ maxLength: 200 }), reason: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
  ],
  examples: [{ by: 'cli:ops@host', reason: 'venue incident' }],
});

export const TradingResumed = defineEvent({
  type: 'TradingResumed',
  description: 'An operator resumed trading after a halt.',
  versions: [Type.Object({ by: Type.String({ maxLength: 200 }) }, { additionalProperties: false })],
  examples: [{ by: 'cli:ops@host' }],
});

export const controlEvents = [TradingHalted, TradingResumed] as const;
