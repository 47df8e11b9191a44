// The auditor API: read-only access to every user's events and read models, and time travel.
import Type, { type Static } from 'typebox';
import { Balance } from '../read-models/balance.ts';
import { Order } from '../read-models/order.ts';
import { Position } from '../read-models/position.ts';
import { Id, MarketSymbol } from '../primitives.ts';

/** A user by id or email. */
const UserRef = Type.String({ minLength: 1, maxLength: 254 });
/** An ISO time or a stream sequence. */
const AsOf = Type.String({ pattern: '^([0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+))$', maxLength: 40 });

export const AuditEventsQuery = Type.Object(
  {
    order: Type.Optional(Id),
    user: Type.Optional(UserRef),
    type: Type.Optional(Type.String({ pattern: '^[A-Za-z]+$', maxLength: 64 })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    /** Pagination: events after this stream sequence. */
    after: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export const AuditEventRow = Type.Object({
  seq: Type.Integer(),
  storedAt: Type.String({ format: 'date-time' }),
  type: Type.String(),
  version: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  userId: Id,
  aggregateId: Type.String(),
  eventId: Id,
  correlationId: Type.Union([Type.String(), Type.Null()]),
  data: Type.Unknown(),
});

export const AuditEventsResponse = Type.Object({
  events: Type.Array(AuditEventRow),
  /** Pass as `after` for the next page; null at the end. */
  next: Type.Union([Type.Integer(), Type.Null()]),
});

export const AuditOrdersQuery = Type.Object(
  {
    user: Type.Optional(UserRef),
    status: Type.Optional(Type.Enum(['open', 'closed', 'all'])),
    symbol: Type.Optional(MarketSymbol),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    before: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const AsOfQuery = Type.Object({ user: Type.Optional(UserRef), asOf: Type.Optional(AsOf) }, { additionalProperties: false });

export const AuditPositionsResponse = Type.Object({
  asOf: Type.Union([Type.String(), Type.Null()]),
  /** Last stream sequence reflected. */
  version: Type.Integer(),
  positions: Type.Array(Position),
});

export const AuditBalancesResponse = Type.Object({
  asOf: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  balances: Type.Array(Type.Omit(Balance, ['version'])),
});

export const AuditOrdersResponse = Type.Object({ orders: Type.Array(Order) });

export const AuditUsersResponse = Type.Object({
  users: Type.Array(Type.Object({ id: Id, email: Type.String(), roles: Type.Array(Type.String()), venue: Type.String() })),
});

/** The risk controls in force, for auditors (they are configuration, so not in any event). */
export const AuditRiskLimitsResponse = Type.Object({
  /** Largest notional (quote value) of one order. */
  maxNotionalPerOrder: Type.String(),
  maxOpenOrdersPerUser: Type.Integer(),
  orderRatePerSecondPerUser: Type.Integer(),
  /** The kill switch: new orders are denied while true (cancels still go through). */
  tradingHalted: Type.Boolean(),
});

/** A read-model row that differs between the live tables and their rebuild from the stream. */
export const RowDifference = Type.Object({
  table: Type.String(),
  key: Type.String(),
  kind: Type.Enum(['missing', 'unexpected', 'changed']),
  /** For "changed": each differing column with the live and the rebuilt value. */
  columns: Type.Optional(Type.Array(Type.Object({ column: Type.String(), live: Type.Unknown(), rebuilt: Type.Unknown() }))),
});
export type RowDifference = Static<typeof RowDifference>;

/** The first commit of a subject whose hash does not chain onto the one before. */
export const BrokenLink = Type.Object({ subject: Type.String(), seq: Type.Integer(), reason: Type.String() });
export type BrokenLink = Static<typeof BrokenLink>;

/** POST /api/audit/verify response, and what `blotter verify` prints: the read models proved from the streams. */
export const VerifyReport = Type.Object({
  ok: Type.Boolean(),
  commits: Type.Integer(),
  /** Messages in the stream that are not valid commits (the projector dead-letters them too). */
  undecodable: Type.Array(Type.Object({ seq: Type.Integer(), subject: Type.String(), error: Type.String() })),
  checkpoints: Type.Array(Type.Object({ projection: Type.String(), partition: Type.Integer(), seq: Type.Integer() })),
  tables: Type.Array(
    Type.Object({ table: Type.String(), liveRows: Type.Integer(), rebuiltRows: Type.Integer(), differences: Type.Integer() }),
  ),
  differences: Type.Array(RowDifference),
  chain: Type.Object({ subjects: Type.Integer(), brokenLinks: Type.Array(BrokenLink) }),
  /** The stream read now, the streams the checkpoints name, and whether they are the same. */
  stream: Type.Object({
    current: Type.String(),
    builtFrom: Type.Array(Type.String()),
    matches: Type.Boolean(),
    hint: Type.Optional(Type.String()),
  }),
});
export type VerifyReport = Static<typeof VerifyReport>;
