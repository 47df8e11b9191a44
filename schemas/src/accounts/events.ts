// Account events: one aggregate per user (subject `<ns>.evt.<p>.<userId>.account`). Credentials
// themselves never enter a stream: events carry only a key fingerprint.
import Type from 'typebox';
import { defineEvent } from '../event.ts';
import { AssetAmount, Id, Role, Venue } from '../primitives.ts';

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

export const accountEvents = [AccountOpened, VenueKeysStored, VenueKeysRemoved, RoleGranted] as const;
