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
