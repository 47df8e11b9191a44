// Account commands, in the imperative: everything that changes a user's account besides orders.
// Like the order commands they are decided by the account aggregate (@blotter/orders, account/)
// under the one optimistic-concurrency check that guards all of the user's events.
import Type, { type Static } from 'typebox';
import { Asset, AssetAmount, Decimal, Id, Nullable, Role, SignedDecimal, Timestamp, Venue } from '../primitives.ts';

const USER = '0192f4a7-0000-7000-8000-000000000001';
const AT = '2026-11-24T12:00:00.000Z';

const meta = { commandId: Type.String({ minLength: 1, maxLength: 128 }), userId: Id, at: Timestamp };

export const OpenAccount = Type.Object(
  {
    ...meta,
    email: Type.String({ format: 'email', maxLength: 254 }),
    venue: Venue,
    /** What the venue account starts with (a paper account's simulator balances). */
    deposits: Type.Array(AssetAmount, { maxItems: 50 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        commandId: `open-${USER}`,
        userId: USER,
        at: AT,
        email: 'ada@example.com',
        venue: 'paper',
        deposits: [{ asset: 'USDT', amount: '10000' }],
      },
    ],
  },
);
export type OpenAccount = Static<typeof OpenAccount>;

export const StoreVenueKeys = Type.Object(
  { ...meta, venue: Venue, keyFingerprint: Type.String({ pattern: '^[0-9a-f]{16}$' }) },
  {
    additionalProperties: false,
    examples: [{ commandId: 'keys-1', userId: USER, at: AT, venue: 'binance-testnet', keyFingerprint: '3f9a0c1d2e4b5a69' }],
  },
);
export type StoreVenueKeys = Static<typeof StoreVenueKeys>;

export const RemoveVenueKeys = Type.Object(
  { ...meta },
  { additionalProperties: false, examples: [{ commandId: 'keys-2', userId: USER, at: AT }] },
);
export type RemoveVenueKeys = Static<typeof RemoveVenueKeys>;

export const GrantRole = Type.Object(
  { ...meta, role: Role, grantedBy: Type.String({ maxLength: 200 }) },
  { additionalProperties: false, examples: [{ commandId: 'grant-1', userId: USER, at: AT, role: 'auditor', grantedBy: 'cli:ops@host' }] },
);
export type GrantRole = Static<typeof GrantRole>;

export const RecordAuditAccess = Type.Object(
  {
    ...meta,
    resource: Type.String({ maxLength: 200 }),
    query: Type.Record(Type.String({ maxLength: 50 }), Type.String({ maxLength: 200 })),
    subjectUserId: Nullable(Id),
  },
  {
    additionalProperties: false,
    examples: [{ commandId: 'audit-1', userId: USER, at: AT, resource: 'GET /api/audit/events', query: {}, subjectUserId: null }],
  },
);
export type RecordAuditAccess = Static<typeof RecordAuditAccess>;

/** What the venue holds of each asset (free + locked), as its account endpoint says. */
export const VenueHolding = Type.Object({ asset: Asset, total: Decimal }, { additionalProperties: false });
export type VenueHolding = Static<typeof VenueHolding>;

export const SyncVenueBalances = Type.Object(
  {
    ...meta,
    venue: Venue,
    /** The venue's account, every asset it holds (an asset it does not list holds 0). */
    holdings: Type.Array(VenueHolding, { maxItems: 1000 }),
    /** The assets to bring to the venue's figure; null: every asset (the venue's and Blotter's). */
    assets: Nullable(Type.Array(Asset, { maxItems: 1000 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        commandId: 'sync-1',
        userId: USER,
        at: AT,
        venue: 'binance-testnet',
        holdings: [{ asset: 'USDT', total: '10000' }],
        assets: null,
      },
    ],
  },
);
export type SyncVenueBalances = Static<typeof SyncVenueBalances>;

export const RecordBalanceUpdate = Type.Object(
  {
    ...meta,
    venue: Venue,
    asset: Asset,
    /** The venue's balanceUpdate delta: positive a deposit, negative a withdrawal. */
    delta: SignedDecimal,
    venueEventId: Type.String({ minLength: 1, maxLength: 128 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        commandId: 'bu-1',
        userId: USER,
        at: AT,
        venue: 'binance-testnet',
        asset: 'USDT',
        delta: '-25',
        venueEventId: 'balanceUpdate:1732449600000:USDT:-25',
      },
    ],
  },
);
export type RecordBalanceUpdate = Static<typeof RecordBalanceUpdate>;

export const accountCommands = {
  OpenAccount,
  StoreVenueKeys,
  RemoveVenueKeys,
  GrantRole,
  RecordAuditAccess,
  SyncVenueBalances,
  RecordBalanceUpdate,
} as const;
