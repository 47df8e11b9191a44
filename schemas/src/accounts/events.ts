// Account events: one aggregate per user (subject `<ns>.evt.<p>.<userId>.account`). Credentials
// themselves never enter a stream: events carry only a key fingerprint.
import Type from 'typebox';
import { defineEvent } from '../event.ts';
import { Asset, AssetAmount, Decimal, Id, Nullable, Role, SignedDecimal, Venue } from '../primitives.ts';

const userId = '0192f4a7-0000-7000-8000-000000000001';

export const AccountOpened = defineEvent({
  type: 'AccountOpened',
  description: 'A user registered; paper accounts start with the simulator balances deposited here.',
  versions: [
    Type.Object(
      {
        userId: Id,
        email: Type.String({ format: 'email', maxLength: 254 }),
        venue: Venue,
        deposits: Type.Array(AssetAmount, { maxItems: 50 }),
      },
      { additionalProperties: false },
    ),
  ],
  examples: [{ userId, email: 'ada@example.com', venue: 'paper', deposits: [{ asset: 'USDT', amount: '10000' }] }],
});

export const VenueKeysStored = defineEvent({
  type: 'VenueKeysStored',
  description: 'The user stored (or replaced) venue API keys; only their fingerprint is recorded.',
  versions: [
    Type.Object({ userId: Id, venue: Venue, keyFingerprint: Type.String({ pattern: '^[0-9a-f]{16}$' }) }, { additionalProperties: false }),
  ],
  examples: [{ userId, venue: 'binance-testnet', keyFingerprint: '3f9a0c1d2e4b5a69' }],
});

export const VenueKeysRemoved = defineEvent({
  type: 'VenueKeysRemoved',
  description: 'The user deleted their venue keys and trades on the default venue again.',
  versions: [Type.Object({ userId: Id, venue: Venue }, { additionalProperties: false })],
  examples: [{ userId, venue: 'binance-testnet' }],
});

export const RoleGranted = defineEvent({
  type: 'RoleGranted',
  description: 'An operator granted a role (auditor or trader) with the CLI.',
  versions: [Type.Object({ userId: Id, role: Role, grantedBy: Type.String({ maxLength: 200 }) }, { additionalProperties: false })],
  examples: [{ userId, role: 'auditor', grantedBy: 'cli:root@host' }],
});

/** Why the venue's balance of an asset changed outside Blotter's orders. */
export const VenueBalanceReason = Type.Enum(['sync', 'deposit', 'withdrawal']);

export const VenueBalanceChanged = defineEvent({
  type: 'VenueBalanceChanged',
  description:
    'The venue reported a balance change of one asset that no order of Blotter caused (a deposit, a withdrawal, ' +
    'or the difference found by a sync). `freeChange` is what it does to the free balance: `delta` unless that ' +
    'would take free below zero, in which case free becomes 0 and `shortfall` is what Blotter has locked beyond ' +
    "the venue's figure (its open orders are then reconciled).",
  versions: [
    Type.Object(
      {
        userId: Id,
        venue: Venue,
        asset: Asset,
        reason: VenueBalanceReason,
        /** The venue's change of the asset's total (free + locked). */
        delta: SignedDecimal,
        /** The venue's total of the asset afterwards, when the venue said it (a sync). */
        venueTotal: Nullable(Decimal),
        /** The change of Blotter's free balance: `delta`, bounded so that free never goes below 0. */
        freeChange: SignedDecimal,
        /** What Blotter has locked beyond what the venue holds (0 normally). */
        shortfall: Decimal,
        /** The venue's event this records (a balanceUpdate), or null for a sync. */
        venueEventId: Nullable(Type.String({ maxLength: 128 })),
      },
      { additionalProperties: false },
    ),
  ],
  examples: [
    {
      userId,
      venue: 'binance-testnet',
      asset: 'USDT',
      reason: 'deposit',
      delta: '250.5',
      venueTotal: null,
      freeChange: '250.5',
      shortfall: '0',
      venueEventId: 'balanceUpdate:1732449600000:USDT:250.5',
    },
    {
      userId,
      venue: 'binance-testnet',
      asset: 'BTC',
      reason: 'sync',
      delta: '-0.4',
      venueTotal: '0.1',
      freeChange: '-0.2',
      shortfall: '0.2',
      venueEventId: null,
    },
  ],
});

export const accountEvents = [AccountOpened, VenueKeysStored, VenueKeysRemoved, RoleGranted, VenueBalanceChanged] as const;
