// Typed HTTP client for the /admin endpoints, for tests and tools in other packages (works against
// an in-process simulator or one started with `pnpm dev`).
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import {
  AccountSettingsView,
  AccountView,
  BalanceRow,
  CreatedAccount,
  CreatedKeyPairAccount,
  PriceView,
  type VenueOrder,
  VenueOrderView,
} from './admin-schemas.ts';
import { FaultSpec } from './faults.ts';

export type { BalanceRow, CreatedAccount, CreatedKeyPairAccount, VenueOrder };

const ArmedFault = Type.Object({ armed: FaultSpec, dropped: Type.Optional(Type.Integer()) });

/** Input shape of a fault; `count` defaults to 1. */
export type FaultInput = {
  [K in FaultSpec['kind']]: Omit<Extract<FaultSpec, { kind: K }>, 'count'> & { count?: number };
}[FaultSpec['kind']];

export class AdminRequestError extends Error {
  override name = 'AdminRequestError';
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`admin request failed with ${status}: ${body}`);
  }
}

export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  createAccount(balances?: Record<string, string>): Promise<CreatedAccount> {
    return this.call(CreatedAccount, 'POST', '/admin/accounts', balances ? { balances } : {});
  }

  /** Binance's recommended key type; the simulator generates the pair unless `publicKey` is given. */
  createEd25519Account(balances?: Record<string, string>, publicKey?: string): Promise<CreatedKeyPairAccount> {
    return this.call(CreatedKeyPairAccount, 'POST', '/admin/accounts', {
      keyType: 'ED25519',
      ...(balances ? { balances } : {}),
      ...(publicKey ? { publicKey } : {}),
    });
  }

  /** Testnet-style funding; the account's user-data stream sees balanceUpdate and outboundAccountPosition. */
  deposit(apiKey: string, asset: string, amount: string): Promise<BalanceRow> {
    return this.call(BalanceRow, 'POST', `/admin/accounts/${apiKey}/deposit`, { asset, amount });
  }

  withdraw(apiKey: string, asset: string, amount: string): Promise<BalanceRow> {
    return this.call(BalanceRow, 'POST', `/admin/accounts/${apiKey}/withdraw`, { asset, amount });
  }

  /** Binance's "use BNB to pay for fees" for one account. */
  setPayFeesInBnb(apiKey: string, payFeesInBnb: boolean): Promise<{ apiKey: string; payFeesInBnb: boolean }> {
    return this.call(AccountSettingsView, 'PATCH', `/admin/accounts/${apiKey}`, { payFeesInBnb });
  }

  balances(apiKey: string): Promise<BalanceRow[]> {
    return this.call(AccountView, 'GET', `/admin/accounts/${apiKey}`).then((r) => r.balances);
  }

  orders(apiKey: string, filter: { symbol?: string; clientOrderId?: string } = {}): Promise<VenueOrder[]> {
    const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    return this.call(Type.Array(VenueOrderView), 'GET', `/admin/accounts/${apiKey}/orders${q.size ? `?${q}` : ''}`);
  }

  pinPrice(symbol: string, price: string): Promise<{ symbol: string; price: string }> {
    return this.call(PriceView, 'PUT', `/admin/prices/${symbol}`, { price });
  }

  unpinPrice(symbol: string): Promise<{ symbol: string; price: string }> {
    return this.call(PriceView, 'DELETE', `/admin/prices/${symbol}`);
  }

  prices(): Promise<{ symbol: string; price: string; pinned: boolean }[]> {
    return this.call(Type.Array(PriceView), 'GET', '/admin/prices');
  }

  injectFault(fault: FaultInput): Promise<{ armed: FaultSpec; dropped?: number }> {
    return this.call(ArmedFault, 'POST', '/admin/faults', fault);
  }

  async clearFaults(): Promise<void> {
    await this.call(Type.Object({}), 'DELETE', '/admin/faults');
  }

  private async call<S extends TSchema>(schema: S, method: string, path: string, body?: unknown): Promise<Static<S>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new AdminRequestError(res.status, text);
    // A 2xx that is not the declared response fails like a refused request, saying what is off.
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AdminRequestError(res.status, `not JSON: ${text.slice(0, 200)}`);
    }
    // Checked, not parsed: an order keeps every Binance field besides the ones declared.
    if (!Value.Check(schema, value)) {
      const first = [...Value.Errors(schema, value)][0];
      throw new AdminRequestError(
        res.status,
        `unexpected response to ${path}: ${first?.instancePath || '/'} ${first?.message ?? 'does not match'}`,
      );
    }
    return value;
  }
}
