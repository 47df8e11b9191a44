// Bodies of the simulator's own admin API (not Binance's), declared once: the routes validate
// with them and the AdminClient's types derive from them.
import Type, { type Static } from 'typebox';

const Decimal = Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,8})?$' });
const Asset = Type.String({ pattern: '^[A-Z0-9]{1,20}$' });

export const CreateAccountBody = Type.Object(
  {
    balances: Type.Optional(Type.Record(Asset, Decimal)),
    /** HMAC (default: the simulator generates a secret), ED25519 or RSA. */
    keyType: Type.Optional(Type.Union([Type.Literal('HMAC'), Type.Literal('ED25519'), Type.Literal('RSA')])),
    /** PEM public key for ED25519/RSA; without it the simulator generates the pair and returns the private key. */
    publicKey: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    payFeesInBnb: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateAccountBody = Static<typeof CreateAccountBody>;

export const AccountSettingsBody = Type.Object({ payFeesInBnb: Type.Boolean() }, { additionalProperties: false });
export type AccountSettingsBody = Static<typeof AccountSettingsBody>;

export const TransferBody = Type.Object({ asset: Asset, amount: Decimal }, { additionalProperties: false });
export type TransferBody = Static<typeof TransferBody>;

export const PinPriceBody = Type.Object({ price: Decimal }, { additionalProperties: false });
export type PinPriceBody = Static<typeof PinPriceBody>;

// Responses, checked by the AdminClient: whatever answers on the admin URL is external input.
export const BalanceRow = Type.Object({ asset: Type.String(), free: Type.String(), locked: Type.String() });
export type BalanceRow = Static<typeof BalanceRow>;

/** An HMAC account: Binance's classic key and secret. */
export const CreatedAccount = Type.Object({ apiKey: Type.String(), apiSecret: Type.String(), balances: Type.Array(BalanceRow) });
export type CreatedAccount = Static<typeof CreatedAccount>;

/** An Ed25519 (or RSA) account: the venue keeps the public key; `privateKey` when it generated the pair. */
export const CreatedKeyPairAccount = Type.Object({
  apiKey: Type.String(),
  keyType: Type.Union([Type.Literal('ED25519'), Type.Literal('RSA')]),
  publicKey: Type.String(),
  privateKey: Type.Optional(Type.String()),
  balances: Type.Array(BalanceRow),
});
export type CreatedKeyPairAccount = Static<typeof CreatedKeyPairAccount>;

export const AccountView = Type.Object({
  apiKey: Type.String(),
  keyType: Type.String(),
  payFeesInBnb: Type.Boolean(),
  balances: Type.Array(BalanceRow),
});

export const AccountSettingsView = Type.Object({ apiKey: Type.String(), payFeesInBnb: Type.Boolean() });

/** Binance-shaped order, as GET /api/v3/order returns it (the fields named here, and all the others). */
export const VenueOrderView = Type.Object({
  orderId: Type.Integer(),
  clientOrderId: Type.String(),
  status: Type.String(),
  symbol: Type.String(),
});
export type VenueOrder = Record<string, unknown> & Static<typeof VenueOrderView>;

export const PriceView = Type.Object({ symbol: Type.String(), price: Type.String(), pinned: Type.Boolean() });
