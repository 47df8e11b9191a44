// Venue accounts, one per API key, all in memory: a restart forgets every account, order and trade.
import { randomBytes } from 'node:crypto';
import type { Big } from '../decimal.ts';
import { ASSETS } from '../market/symbols.ts';
import { Balances } from './balances.ts';
import { isOpen, isStop, type Order, type Trade } from './types.ts';

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

export class Account {
  readonly balances: Balances;
  readonly orders: Order[] = [];
  readonly trades: Trade[] = [];
  updateTime: number;

  constructor(
    readonly apiKey: string,
    readonly apiSecret: string,
    initial: Record<string, Big>,
    now: number,
  ) {
    this.balances = new Balances(initial, ASSETS);
    this.updateTime = now;
  }

  openOrders(symbol?: string): Order[] {
    return this.orders.filter((o) => isOpen(o) && (symbol === undefined || o.symbol === symbol));
  }

  openCounts(symbol: string): { orders: number; algoOrders: number } {
    const open = this.openOrders(symbol);
    return { orders: open.length, algoOrders: open.filter((o) => isStop(o.type)).length };
  }

  byOrderId(symbol: string, orderId: number): Order | undefined {
    return this.orders.find((o) => o.symbol === symbol && o.orderId === orderId);
  }

  /** Client ids are only unique among open orders, so the newest order wins. */
  byClientId(symbol: string, clientOrderId: string): Order | undefined {
    return this.orders.findLast((o) => o.symbol === symbol && o.clientOrderId === clientOrderId);
  }
}

export class Accounts {
  private readonly byKey = new Map<string, Account>();

  create(initial: Record<string, Big>, now: number): Account {
    const account = new Account(randomKey(), randomKey(), initial, now);
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
