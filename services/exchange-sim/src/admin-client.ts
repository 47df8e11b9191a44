// Typed HTTP client for the /admin endpoints, for tests and tools in other packages (works against
// an in-process simulator or one started with `pnpm dev`).
import type { FaultSpec } from './faults.ts';

export interface BalanceRow {
  asset: string;
  free: string;
  locked: string;
}

/** An HMAC account: Binance's classic key and secret. */
export interface CreatedAccount {
  apiKey: string;
  apiSecret: string;
  balances: BalanceRow[];
}

/** An Ed25519 (or RSA) account: the venue keeps the public key; `privateKey` when it generated the pair. */
export interface CreatedKeyPairAccount {
  apiKey: string;
  keyType: 'ED25519' | 'RSA';
  publicKey: string;
  privateKey?: string;
  balances: BalanceRow[];
}

/** Binance-shaped order, as GET /api/v3/order returns it. */
export type VenueOrder = Record<string, unknown> & { orderId: number; clientOrderId: string; status: string; symbol: string };

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
    return this.call('POST', '/admin/accounts', balances ? { balances } : {});
  }

  /** Binance's recommended key type; the simulator generates the pair unless `publicKey` is given. */
  createEd25519Account(balances?: Record<string, string>, publicKey?: string): Promise<CreatedKeyPairAccount> {
    return this.call('POST', '/admin/accounts', {
      keyType: 'ED25519',
      ...(balances ? { balances } : {}),
      ...(publicKey ? { publicKey } : {}),
    });
  }

  /** Testnet-style funding; the account's user-data stream sees balanceUpdate and outboundAccountPosition. */
  deposit(apiKey: string, asset: string, amount: string): Promise<BalanceRow> {
    return this.call('POST', `/admin/accounts/${apiKey}/deposit`, { asset, amount });
  }

  withdraw(apiKey: string, asset: string, amount: string): Promise<BalanceRow> {
    return this.call('POST', `/admin/accounts/${apiKey}/withdraw`, { asset, amount });
  }

  /** Binance's "use BNB to pay for fees" for one account. */
  setPayFeesInBnb(apiKey: string, payFeesInBnb: boolean): Promise<{ apiKey: string; payFeesInBnb: boolean }> {
    return this.call('PATCH', `/admin/accounts/${apiKey}`, { payFeesInBnb });
  }

  balances(apiKey: string): Promise<BalanceRow[]> {
    return this.call<{ balances: BalanceRow[] }>('GET', `/admin/accounts/${apiKey}`).then((r) => r.balances);
  }

  orders(apiKey: string, filter: { symbol?: string; clientOrderId?: string } = {}): Promise<VenueOrder[]> {
    const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    return this.call('GET', `/admin/accounts/${apiKey}/orders${q.size ? `?${q}` : ''}`);
  }

  pinPrice(symbol: string, price: string): Promise<{ symbol: string; price: string }> {
    return this.call('PUT', `/admin/prices/${symbol}`, { price });
  }

  unpinPrice(symbol: string): Promise<{ symbol: string; price: string }> {
    return this.call('DELETE', `/admin/prices/${symbol}`);
  }

  prices(): Promise<{ symbol: string; price: string; pinned: boolean }[]> {
    return this.call('GET', '/admin/prices');
  }

  injectFault(fault: FaultInput): Promise<{ armed: FaultSpec; dropped?: number }> {
    return this.call('POST', '/admin/faults', fault);
  }

  clearFaults(): Promise<void> {
    return this.call('DELETE', '/admin/faults');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new AdminRequestError(res.status, text);
    return JSON.parse(text) as T;
  }
}
