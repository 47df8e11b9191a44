// An account's commission rates as Binance reports them (account/commission, order/test with
// computeCommissionRates, the account's commissionRates). The simulator charges one maker/taker
// rate and no special or tax commission; the BNB discount applies when the account pays in BNB.
import { type Big, fmt8 } from '../decimal.ts';
import type { Account } from '../engine/accounts.ts';
import type { Simulator } from '../simulator.ts';

const ZERO = '0.00000000';

export function commissionRates(sim: Simulator, account: Account) {
  const rate = fmt8(sim.feeRate);
  const four = (maker: string, taker: string) => ({ maker, taker, buyer: ZERO, seller: ZERO });
  return {
    standard: four(rate, rate),
    special: four(ZERO, ZERO),
    tax: four(ZERO, ZERO),
    discount: {
      enabledForAccount: account.settings.payFeesInBnb,
      enabledForSymbol: true,
      discountAsset: 'BNB',
      discount: fmt8(sim.bnbFeeMultiplier),
    },
  };
}

/** Binance's integer commissions of /account are in basis points. */
export const bips = (rate: Big): number => rate.times(10_000).toNumber();
