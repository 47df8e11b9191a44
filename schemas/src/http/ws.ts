// Messages on `GET /api/ws`. Client messages are validated like request bodies.
import Type, { type Static } from 'typebox';

const StreamChannel = Type.String({
  pattern: '^(orders|trades|positions|balances|ticker:[A-Z0-9]{2,20}|candles:[A-Z0-9]{2,20}:(1m|5m|1h|1d|1w))$',
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
