// What a projector announces after each committed batch, per user and channel, on
// `<ns>.changes.<userId>`. Gateways fan it out to that user's sockets.
import Type, { type Static } from 'typebox';
import { Id } from '../primitives.ts';
import { USER_CHANNELS } from './ws.ts';

export const ChangeNotice = Type.Object(
  {
    userId: Id,
    channel: Type.Enum(USER_CHANNELS),
    /** Stream sequence of the last event reflected. */
    version: Type.Integer({ minimum: 1 }),
    /** The channel's version before this change: a reader holding another one missed a change. */
    prevVersion: Type.Integer({ minimum: 0 }),
    /** The changed rows in their public shape. */
    rows: Type.Array(Type.Unknown()),
  },
  {
    additionalProperties: false,
    examples: [
      {
        userId: '0192f4a7-0000-7000-8000-000000000001',
        channel: 'balances',
        version: 43,
        prevVersion: 42,
        rows: [{ asset: 'USDT', free: '9360', locked: '640' }],
      },
    ],
  },
);
export type ChangeNotice = Static<typeof ChangeNotice>;
