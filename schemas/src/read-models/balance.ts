import Type, { type Static } from 'typebox';
import { Asset, Id, SignedDecimal } from '../primitives.ts';

export const Balance = Type.Object(
  {
    userId: Id,
    asset: Asset,
    /** Spendable now. */
    free: SignedDecimal,
    /** Held by open orders until they fill, cancel or expire. */
    locked: SignedDecimal,
    version: Type.Integer(),
  },
  {
    additionalProperties: false,
    examples: [{ userId: '0192f4a7-0000-7000-8000-000000000001', asset: 'USDT', free: '9360', locked: '640', version: 42 }],
  },
);
export type Balance = Static<typeof Balance>;
