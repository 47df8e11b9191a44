// GET /api/schemas: the catalog as a list, one entry per published schema.
import Type, { type Static } from 'typebox';

export const SchemaKind = Type.Enum(['command', 'event', 'read-model', 'http', 'message']);
export type SchemaKind = Static<typeof SchemaKind>;

export const SchemaListItem = Type.Object({
  name: Type.String(),
  kind: SchemaKind,
  version: Type.Integer(),
  /** The NATS subject pattern the message travels on (events, notifications, market data). */
  subject: Type.Optional(Type.String()),
  description: Type.String(),
});
export type SchemaListItem = Static<typeof SchemaListItem>;

export const SchemaListing = Type.Array(SchemaListItem);
