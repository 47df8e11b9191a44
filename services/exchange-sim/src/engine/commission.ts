// Commission of one side of a trade, as Binance computes it (faqs/commission_faq.md): the received
// amount (base on a BUY, quote on a SELL) times the maker or taker rate, rounded up to 8 decimals.
// With "pay fees in BNB" on, the same commission is converted to BNB at the last prices and
// multiplied by the BNB discount (Binance serves it as `discount: "0.75000000"`, i.e. 25 % off); it
// is charged in BNB only if the account's free BNB covers it, otherwise in the received asset.
import { Big } from '../decimal.ts';

export interface BnbOption {
  /** What is charged of the converted commission (0.75 = 25 % off). */
  multiplier: Big;
  /** Free BNB of the account before this commission. */
  free: Big;
  /** BNB per unit of the received asset (1 when BNB itself is received). */
  toBnb: Big;
}

export interface FeeInput {
  received: Big;
  receivedAsset: string;
  rate: Big;
  /** Present when the account pays fees in BNB and the BNB rate is known. */
  bnb?: BnbOption;
}

export interface Fee {
  amount: Big;
  asset: string;
  /** True when the amount is taken from the BNB balance rather than from what was received. */
  fromBnbBalance: boolean;
}

const round = (x: Big): Big => x.round(8, Big.roundUp);

export function commissionFor(i: FeeInput): Fee {
  const standard = i.received.times(i.rate);
  if (i.bnb) {
    const inBnb = round(standard.times(i.bnb.toBnb).times(i.bnb.multiplier));
    // Receiving BNB: the discounted commission comes out of what was received, like any commission.
    if (i.receivedAsset === 'BNB') return { amount: inBnb, asset: 'BNB', fromBnbBalance: false };
    if (i.bnb.free.gte(inBnb)) return { amount: inBnb, asset: 'BNB', fromBnbBalance: true };
  }
  return { amount: round(standard), asset: i.receivedAsset, fromBnbBalance: false };
}
