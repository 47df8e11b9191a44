// The venue in one object: market, accounts, matching engine, limits, armed faults, persistence,
// and the clock that moves the market every 250 ms. HTTP and WebSocket layers are thin views over
// it. `new Simulator(config)` keeps everything in memory; `Simulator.open(config)` with a data
// directory recovers the previous run's state first and journals every change after that.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { type Limits, limitsOf, type SimConfig } from './config.ts';
import { Big } from './decimal.ts';
import { Account, Accounts, type Credential, type KeyType, randomKey } from './engine/accounts.ts';
import { commissionFor } from './engine/commission.ts';
import { Exchange } from './engine/exchange.ts';
import type { FeeFor } from './engine/ledger.ts';
import { balanceUpdate } from './engine/user-events.ts';
import { Faults } from './faults.ts';
import { IpLimiter } from './limits/ip-limits.ts';
import { Market } from './market/market.ts';
import { SYMBOLS, withOverrides } from './market/symbols.ts';
import { TICK } from './market/time-units.ts';
import { Persistence, snapshotOf, type UserEventListener } from './store/persistence.ts';
import { type Recovered, recover } from './store/recover.ts';
import { orderFromRow, preventedFromRow, tradeFromRow } from './store/rows.ts';

export interface NewAccount {
  balances?: Record<string, string>;
  keyType?: KeyType;
  /** PEM public key for ED25519/RSA; without one the simulator generates a key pair. */
  publicKey?: string;
  payFeesInBnb?: boolean;
}

export interface CreatedAccountInfo {
  account: Account;
  /** PEM private key, when the simulator generated the pair. */
  privateKey?: string;
}

export class AccountError extends Error {
  override name = 'AccountError';
}

export class Simulator {
  readonly market: Market;
  readonly accounts = new Accounts();
  readonly exchange: Exchange;
  readonly faults = new Faults();
  readonly persistence: Persistence;
  readonly limits: Limits;
  readonly ipLimits: IpLimiter;
  readonly feeRate: Big;
  readonly bnbFeeMultiplier: Big;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    readonly config: SimConfig,
    persistence?: Persistence,
  ) {
    if (config.dataDir && !persistence) throw new Error('a simulator with a data directory is opened with Simulator.open()');
    this.persistence = persistence ?? Persistence.memory();
    this.market = new Market(config.seed, withOverrides(SYMBOLS, config.filters));
    this.feeRate = new Big(config.feeRate);
    this.bnbFeeMultiplier = new Big(config.bnbFeeMultiplier ?? '0.75');
    this.limits = limitsOf(config);
    this.ipLimits = new IpLimiter(this.limits);
    this.exchange = new Exchange({
      market: this.market,
      accounts: this.accounts,
      feeFor: this.feeFor,
      orderLimits: { per10s: this.limits.ordersPer10s, perDay: this.limits.ordersPerDay },
      idBase: Math.floor(Date.now() / 1000) * 1000,
      sink: this.persistence,
    });
    this.persistence.snapshotOf = (n) =>
      snapshotOf(n, this.now(), this.exchange.ids.snapshot(this.exchange.bookSeqs()), this.accounts.all());
  }

  /** A simulator over `config.dataDir` (recovered first), or in memory without one. */
  static async open(config: SimConfig, onFailure: (err: unknown) => void = () => undefined): Promise<Simulator> {
    if (!config.dataDir) return new Simulator(config);
    const lock = Persistence.lockDataDir(config.dataDir);
    let recovered: Recovered;
    try {
      recovered = recover(config.dataDir);
    } catch (err) {
      lock.release();
      throw err;
    }
    const persistence = await Persistence.open(config.dataDir, recovered.n, lock, onFailure, config.journalCompactBytes);
    const sim = new Simulator(config, persistence);
    sim.restore(recovered);
    // Start every run from a fresh snapshot: replay time stays short however long the journal was.
    await persistence.compact();
    return sim;
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

  /** Stops the clock, waits for the journal and writes a final snapshot (once, however often called). */
  close(): Promise<void> {
    this.stop();
    this.closing ??= this.persistence.close();
    return this.closing;
  }

  /** Stops without a final snapshot, leaving the data directory as a crash would (for crash tests). */
  halt(): Promise<void> {
    this.stop();
    this.closing ??= this.persistence.halt();
    return this.closing;
  }

  onUserEvent(listener: UserEventListener): () => void {
    return this.persistence.onUserEvent(listener);
  }

  /** Resolves once every change made so far is durable. */
  flushed(): Promise<void> {
    return this.persistence.flushed();
  }

  createAccount(input: NewAccount | Record<string, string> = {}): Account {
    return this.openAccount(isNewAccount(input) ? input : { balances: input }).account;
  }

  /** A testnet-style account: funded on creation, with an HMAC secret or an Ed25519/RSA key. */
  openAccount(input: NewAccount): CreatedAccountInfo {
    const now = this.now();
    const { credential, privateKey } = credentialFor(input);
    const initial = input.balances ?? this.config.startingBalances ?? { USDT: this.config.startingUsdt };
    const balances = Object.fromEntries(Object.entries(initial).map(([asset, amount]) => [asset, new Big(amount)]));
    const account = new Account(randomKey(), credential, balances, now, {
      payFeesInBnb: input.payFeesInBnb ?? this.config.payFeesInBnb ?? false,
    });
    this.accounts.add(account);
    this.exchange.recordAccount(account, now);
    return { account, ...(privateKey ? { privateKey } : {}) };
  }

  setPayFeesInBnb(account: Account, on: boolean): void {
    account.settings = { ...account.settings, payFeesInBnb: on };
    this.exchange.recordAccount(account, this.now());
  }

  /** A deposit (positive) or withdrawal (negative), announced as balanceUpdate + outboundAccountPosition. */
  transfer(account: Account, asset: string, delta: Big): void {
    if (delta.lt(0) && account.balances.freeOf(asset).lt(delta.abs())) throw new AccountError(`not enough free ${asset} to withdraw`);
    const now = this.now();
    this.exchange.adjustBalance(account, asset, delta, now, balanceUpdate(asset, delta, now));
  }

  /** A pinned price is a jump: resting orders get to react at once rather than on the next tick. */
  pin(symbol: string, price: Big): void {
    this.market.pin(symbol, price);
    this.exchange.repin(symbol, this.now());
  }

  unpin(symbol: string): void {
    this.market.unpin(symbol);
    this.exchange.repin(symbol, this.now());
  }

  /** BNB per unit of an asset at the last prices, via USDT; undefined when there is no such price. */
  private toBnb(asset: string): Big | undefined {
    if (asset === 'BNB') return new Big(1);
    const now = this.now();
    const bnb = this.market.find('BNBUSDT') ? this.market.price('BNBUSDT', now) : undefined;
    if (!bnb) return undefined;
    if (asset === 'USDT') return new Big(1).div(bnb);
    const symbol = `${asset}USDT`;
    return this.market.find(symbol) ? this.market.price(symbol, now).div(bnb) : undefined;
  }

  private readonly feeFor: FeeFor = (account, spec, side, received, _isMaker) => {
    const receivedAsset = side === 'BUY' ? spec.baseAsset : spec.quoteAsset;
    const toBnb = account.settings.payFeesInBnb ? this.toBnb(receivedAsset) : undefined;
    return commissionFor({
      received,
      receivedAsset,
      rate: this.feeRate,
      ...(toBnb ? { bnb: { multiplier: this.bnbFeeMultiplier, free: account.balances.freeOf('BNB'), toBnb } } : {}),
    });
  };

  private restore(r: Recovered): void {
    if (r.counters) {
      // Synthetic prints take a trade id per symbol per tick without being journaled.
      const gap = Math.max(0, Math.ceil((this.now() - r.t) / TICK)) + 1;
      this.exchange.restoreCounters(r.counters, gap);
    }
    const open: { account: Account; order: ReturnType<typeof orderFromRow> }[] = [];
    for (const rec of r.accounts.values()) {
      const account = new Account(rec.row.apiKey, rec.row.credential, {}, rec.row.updateTime, rec.row.settings);
      for (const [asset, free, locked] of rec.balances.values()) account.balances.restore(asset, new Big(free), new Big(locked));
      for (const row of rec.orders.values()) {
        const order = orderFromRow(row);
        account.addOrder(order);
        this.exchange.ids.atLeast('orderIds', order.symbol, order.orderId);
        open.push({ account, order });
      }
      for (const row of rec.trades.values()) {
        const trade = tradeFromRow(row);
        account.trades.push(trade);
        this.exchange.ids.atLeast('tradeIds', trade.symbol, trade.id);
      }
      for (const row of rec.prevented.values()) {
        const match = preventedFromRow(row);
        account.prevented.push(match);
        this.exchange.ids.atLeast('preventedMatchIds', match.symbol, match.preventedMatchId);
      }
      this.accounts.add(account);
    }
    open.sort((a, b) => a.order.bookSeq - b.order.bookSeq);
    for (const { account, order } of open) this.exchange.restoreOpen(account, order);
  }
}

const isNewAccount = (x: NewAccount | Record<string, string>): x is NewAccount =>
  ['balances', 'keyType', 'publicKey', 'payFeesInBnb'].some((k) => k in x);

function credentialFor(input: NewAccount): { credential: Credential; privateKey?: string } {
  const type = input.keyType ?? 'HMAC';
  if (type === 'HMAC') {
    if (input.publicKey) throw new AccountError('an HMAC account has no public key');
    return { credential: { type, secret: randomKey() } };
  }
  if (input.publicKey) {
    let kind: string | undefined;
    try {
      kind = createPublicKey(input.publicKey).asymmetricKeyType;
    } catch {
      throw new AccountError('publicKey is not a PEM public key');
    }
    if (kind !== type.toLowerCase()) throw new AccountError(`publicKey is a ${kind} key, not ${type}`);
    return { credential: { type, publicKey: input.publicKey } };
  }
  const pair =
    type === 'ED25519'
      ? generateKeyPairSync('ed25519', {
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        })
      : generateKeyPairSync('rsa', {
          modulusLength: 2048,
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        });
  return { credential: { type, publicKey: pair.publicKey }, privateKey: pair.privateKey };
}
