// Paper accounts: opened on the exchange simulator through its admin API when a user registers.
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { dec, str } from '@blotter/orders';
import { HttpError } from '../errors.ts';

const Account = Compile(
  Type.Object({
    apiKey: Type.String({ minLength: 8 }),
    apiSecret: Type.String({ minLength: 8 }),
    balances: Type.Array(
      Type.Object({ asset: Type.String({ pattern: '^[A-Z0-9]{1,12}$' }), free: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' }) }),
    ),
  }),
);

export interface PaperAccount {
  apiKey: string;
  apiSecret: string;
  balances: { asset: string; amount: string }[];
}

export async function openPaperAccount(simUrl: string, adminToken: string): Promise<PaperAccount> {
  let body: unknown;
  try {
    const res = await fetch(`${simUrl}/admin/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(5000),
    });
    body = await res.json();
  } catch {
    throw new HttpError('SERVICE_UNAVAILABLE', 'the paper exchange is unavailable; try again shortly');
  }
  if (!Account.Check(body)) throw new HttpError('SERVICE_UNAVAILABLE', 'the paper exchange refused to open an account');
  return {
    apiKey: body.apiKey,
    apiSecret: body.apiSecret,
    balances: body.balances.filter((b) => dec(b.free).gt(0)).map((b) => ({ asset: b.asset, amount: str(dec(b.free)) })),
  };
}
