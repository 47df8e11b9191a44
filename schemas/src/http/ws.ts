// Messages on `GET /api/ws`. Client messages are validated like request bodies.
import Type, { type Static } from 'typebox';
import { CANDLE_INTERVALS } from '../market/market.ts';

/** A user's own account channels, as the UI lists them; `alerts` came last (see Channel). */
const FIRST_USER_CHANNELS = ['orders', 'trades', 'positions', 'balances'] as const;
export const USER_CHANNELS = [...FIRST_USER_CHANNELS, 'alerts'] as const;
export type UserChannel = (typeof USER_CHANNELS)[number];
export const isUserChannel = (v: string): v is UserChannel => (USER_CHANNELS as readonly string[]).includes(v);

const SYMBOL = '[A-Z0-9]{2,20}';

const StreamChannel = Type.String({
  pattern: `^(${FIRST_USER_CHANNELS.join('|')}|ticker:${SYMBOL}|candles:${SYMBOL}:(${CANDLE_INTERVALS.join('|')}))$`,
  examples: ['orders', 'ticker:BTCUSDT', 'candles:BTCUSDT:1m'],
});
// `alerts` came later: a new union variant, so the published pattern (and every client that
// validates against it) stays as it was.
export const Channel = Type.Union([StreamChannel, Type.Literal('alerts')]);
export type Channel = Static<typeof Channel>;

export const ClientMessage = Type.Union([
  Type.Object({ type: Type.Literal('auth'), token: Type.String({ maxLength: 4096 }) }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('subscribe'), channels: Type.Array(Channel, { minItems: 1, maxItems: 20 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('unsubscribe'), channels: Type.Array(Channel, { minItems: 1, maxItems: 20 }) },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false }),
]);
export type ClientMessage = Static<typeof ClientMessage>;

export const ServerMessage = Type.Union([
  Type.Object({ type: Type.Literal('ready'), userId: Type.String() }),
  Type.Object({ type: Type.Literal('snapshot'), channel: Channel, version: Type.Integer(), data: Type.Unknown() }),
  Type.Object({
    type: Type.Literal('update'),
    channel: Channel,
    version: Type.Integer(),
    /** The version of the previous update on this channel: a client that holds another one missed something. */
    prevVersion: Type.Integer(),
    data: Type.Unknown(),
  }),
  Type.Object({ type: Type.Literal('unsubscribed'), channels: Type.Array(Channel) }),
  Type.Object({ type: Type.Literal('pong') }),
  Type.Object({
    type: Type.Literal('error'),
    error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
  }),
]);
export type ServerMessage = Static<typeof ServerMessage>;
