import Type, { type Static } from 'typebox';
import { Id, Nullable, Role, Venue } from '../primitives.ts';

export const Credentials = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 8, maxLength: 256 }),
  },
  { additionalProperties: false, examples: [{ email: 'ada@example.com', password: 'correct horse battery' }] },
);
export type Credentials = Static<typeof Credentials>;

export const User = Type.Object({ id: Id, email: Type.String(), roles: Type.Array(Role) }, { additionalProperties: false });
export type User = Static<typeof User>;

export const AuthResponse = Type.Object(
  { token: Type.String(), user: User },
  {
    additionalProperties: false,
    examples: [
      {
        token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig',
        user: { id: '0192f4a7-0000-7000-8000-000000000001', email: 'ada@example.com', roles: ['trader'] },
      },
    ],
  },
);
export type AuthResponse = Static<typeof AuthResponse>;

export const Me = Type.Object(
  {
    id: Id,
    email: Type.String(),
    roles: Type.Array(Role),
    venue: Type.Object({ kind: Venue, keyFingerprint: Nullable(Type.String()) }, { additionalProperties: false }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        id: '0192f4a7-0000-7000-8000-000000000001',
        email: 'ada@example.com',
        roles: ['trader'],
        venue: { kind: 'paper', keyFingerprint: '3f9a0c1d2e4b5a69' },
      },
    ],
  },
);
export type Me = Static<typeof Me>;

export const VenueKeysRequest = Type.Object(
  {
    venue: Venue,
    apiKey: Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9]+$' }),
    apiSecret: Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9]+$' }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        venue: 'binance-testnet',
        apiKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
        apiSecret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
      },
    ],
  },
);
export type VenueKeysRequest = Static<typeof VenueKeysRequest>;

export const WsTicketResponse = Type.Object(
  {
    /** A token that only opens /api/ws, valid for 60 s. */
    ticket: Type.String(),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, examples: [{ ticket: 'eyJhbGciOiJIUzI1NiJ9.e30.sig', expiresAt: '2026-11-24T12:01:00.000Z' }] },
);
export type WsTicketResponse = Static<typeof WsTicketResponse>;
