// Venue accounts, one per API key. An account signs with an HMAC secret (the sim's default, like
// Binance's generated keys) or with an Ed25519 / RSA key pair whose public half the venue keeps.
import { randomBytes } from 'node:crypto';
import type { Big } from '../decimal.ts';
import { ASSETS } from '../market/symbols.ts';
import { Balances } from './balances.ts';
import { isOpen, isStop, type Order, type PreventedMatch, type Trade } from './types.ts';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 64 alphanumeric characters, the shape of a Binance API key and HMAC secret. */
export function randomKey(length = 64): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  // Rejection sampling keeps the alphabet uniform (256 is not a multiple of 62).
  for (const b of bytes) {
    if (b < 248) out += ALPHANUMERIC[b % 62];
    if (out.length === length) return out;
  }
  return out + randomKey(length - out.length);
}

export type KeyType = 'HMAC' | 'ED25519' | 'RSA';

export type Credential = { type: 'HMAC'; secret: string } | { type: 'ED25519' | 'RSA'; publicKey: string };

export interface AccountSettings {
  /** Binance's "use BNB to pay for fees". */
  payFeesInBnb: boolean;
}

export class Account {
  readonly balances: Balances;
  /** Every order the account ever sent, oldest first. */
  readonly orders: Order[] = [];
  readonly trades: Trade[] = [];
  readonly prevented: PreventedMatch[] = [];
  private readonly open = new Set<Order>();
  private readonly byId = new Map<string, Order>();
  private readonly byClient = new Map<string, Order>();
  updateTime: number;

  constructor(
    readonly apiKey: string,
    readonly credential: Credential,
    initial: Record<string, Big>,
    now: number,
    public settings: AccountSettings,
  ) {
    this.balances = new Balances(initial, ASSETS);
    this.updateTime = now;
  }

  /** The HMAC secret, for HMAC accounts. */
  get apiSecret(): string | undefined {
    return this.credential.type === 'HMAC' ? this.credential.secret : undefined;
  }

  addOrder(order: Order): void {
    this.orders.push(order);
    this.byId.set(`${order.symbol}:${order.orderId}`, order);
    this.indexClientId(order);
    this.track(order);
  }

  /** Keeps the open-order index right after a status change. */
  track(order: Order): void {
    if (isOpen(order)) this.open.add(order);
    else this.open.delete(order);
  }

  /** Client ids are only unique among open orders, so the newest order with the id wins. */
  indexClientId(order: Order): void {
    this.byClient.set(`${order.symbol}:${order.clientOrderId}`, order);
  }

  openOrders(symbol?: string): Order[] {
    return [...this.open]
      .filter((o) => symbol === undefined || o.symbol === symbol)
      .sort((a, b) => a.time - b.time || a.orderId - b.orderId);
  }

  openCounts(symbol: string): { orders: number; algoOrders: number; allOrders: number; allAlgoOrders: number } {
    let orders = 0;
    let algoOrders = 0;
    let allAlgoOrders = 0;
    for (const o of this.open) {
      const algo = isStop(o.type);
      if (algo) allAlgoOrders++;
      if (o.symbol !== symbol) continue;
      orders++;
      if (algo) algoOrders++;
    }
    return { orders, algoOrders, allOrders: this.open.size, allAlgoOrders };
  }

  hasOpenClientId(clientOrderId: string): boolean {
    for (const o of this.open) if (o.clientOrderId === clientOrderId) return true;
    return false;
  }

  byOrderId(symbol: string, orderId: number): Order | undefined {
    return this.byId.get(`${symbol}:${orderId}`);
  }

  byClientId(symbol: string, clientOrderId: string): Order | undefined {
    return this.byClient.get(`${symbol}:${clientOrderId}`);
  }
}

export class Accounts {
  private readonly byKey = new Map<string, Account>();

  add(account: Account): Account {
    this.byKey.set(account.apiKey, account);
    return account;
  }

  find(apiKey: string): Account | undefined {
    return this.byKey.get(apiKey);
  }

  all(): Account[] {
    return [...this.byKey.values()];
  }
}
