// The venue's state in one object: market, accounts, matching engine, armed faults, and the clock
// that moves the market every 250 ms. HTTP and WebSocket layers are thin views over it.
import { Big } from './decimal.ts';
import type { SimConfig } from './config.ts';
import { Accounts, type Account } from './engine/accounts.ts';
import { Exchange } from './engine/exchange.ts';
import { Faults } from './faults.ts';
import { Market } from './market/market.ts';
import { TICK } from './market/time-units.ts';

export class Simulator {
  readonly market: Market;
  readonly accounts = new Accounts();
  readonly exchange: Exchange;
  readonly faults = new Faults();
  readonly feeRate: Big;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly config: SimConfig) {
    this.market = new Market(config.seed);
    this.feeRate = new Big(config.feeRate);
    this.exchange = new Exchange(this.market, this.accounts, this.feeRate, Math.floor(Date.now() / 1000) * 1000);
  }

  now(): number {
    return Date.now();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.exchange.tick(this.now()), TICK);
    // The HTTP server keeps a real process alive; an embedded simulator must not.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  createAccount(balances?: Record<string, string>): Account {
    const initial = balances ?? { USDT: this.config.startingUsdt };
    const parsed = Object.fromEntries(Object.entries(initial).map(([asset, amount]) => [asset, new Big(amount)]));
    return this.accounts.create(parsed, this.now());
  }

  /** A pinned price is a jump: resting orders get to react at once rather than on the next tick. */
  pin(symbol: string, price: Big): void {
    this.market.pin(symbol, price);
    this.exchange.tick(this.now());
  }

  unpin(symbol: string): void {
    this.market.unpin(symbol);
    this.exchange.tick(this.now());
  }
}
