// Pre-trade checks: the rules an order must pass before it may reach a venue. Pure: the symbol's
// filters, the mark price and the limits arrive on the command; the balance, the open orders and
// the holdings come from the account aggregate's state (`AccountFacts`).
import type { AssetAmount, DenialCode, FilterName, PlaceOrder, Venue } from '@blotter/schemas';
import { checkMaxPosition, checkOpenOrders, type OpenOrderCounts } from '../account/filters.ts';
import { checkFilters } from '../filters.ts';
import { dec, str } from '../money.ts';

export type DenialField = 'symbol' | 'quantity' | 'price' | 'stopPrice' | 'notional';

export type PreTradeResult =
  | { ok: true; reserved: AssetAmount; baseAsset: string; quoteAsset: string }
  | { ok: false; code: DenialCode; reason: string; field: DenialField | null; filter: FilterName | null };

/** What the pre-trade checks need to know about the account, taken from its aggregate state. */
export interface AccountFacts {
  venue: Venue;
  /** Free balance per asset (what open orders reserve is already locked). */
  available: Record<string, string>;
  /** Open orders, for Blotter's own cap (MAX_OPEN_ORDERS) and the venue's count filters. */
  openOrders: OpenOrderCounts;
  /** What the account holds of the order's base asset (free + locked) and is buying in open BUYs. */
  held: { base: string; openBuyQuantity: string };
}

const deny = (code: DenialCode, reason: string, field: DenialField | null = null, filter: FilterName | null = null): PreTradeResult => ({
  ok: false,
  code,
  reason,
  field,
  filter,
});

/**
 * What the order must hold back: a BUY locks quote (its notional plus the fee margin, plus a
 * slippage margin for MARKET whose price is only estimated), a SELL locks the base quantity.
 */
export function reservationFor(cmd: PlaceOrder, valuationPrice: string, baseAsset: string, quoteAsset: string): AssetAmount {
  if (cmd.side === 'SELL') return { asset: baseAsset, amount: str(dec(cmd.quantity)) };
  const { feeMargin, marketSlippage } = cmd.context.limits;
  let amount = dec(cmd.quantity).times(valuationPrice).times(dec(1).plus(feeMargin));
  if (cmd.type === 'MARKET') amount = amount.times(dec(1).plus(marketSlippage));
  return { asset: quoteAsset, amount: str(amount) };
}

export function preTradeCheck(cmd: PlaceOrder, account: AccountFacts): PreTradeResult {
  const { context } = cmd;
  if (context.halted) return deny('TRADING_HALTED', 'trading is halted by an operator; cancels still work');
  const info = context.symbolInfo;
  if (!info) return deny('UNKNOWN_SYMBOL', `${cmd.symbol} is not traded on ${account.venue}`, 'symbol');
  const failure =
    checkFilters(info, cmd, context.markPrice) ??
    checkOpenOrders(info, cmd.type, account.openOrders) ??
    checkMaxPosition(info, cmd, account.held);
  if (failure) return deny('FILTER_FAILURE', `${failure.filter}: ${failure.reason}`, failure.field, failure.filter);
  const valuation = cmd.type === 'MARKET' ? context.markPrice : cmd.price;
  if (valuation === null) {
    // Without a price a MARKET order's value (NOTIONAL, and the reservation) cannot be known.
    return deny(
      'FILTER_FAILURE',
      `NOTIONAL: no market price for ${cmd.symbol} yet to value a MARKET order; use a LIMIT order`,
      'price',
      'NOTIONAL',
    );
  }
  const notional = dec(cmd.quantity).times(valuation);
  if (notional.gt(context.limits.maxNotional)) {
    return deny('MAX_NOTIONAL_EXCEEDED', `order value ${str(notional)} exceeds the limit ${context.limits.maxNotional}`, 'notional');
  }
  if (account.openOrders.onVenue >= context.limits.maxOpenOrders) {
    return deny('MAX_OPEN_ORDERS', `${account.openOrders.onVenue} orders are open; the limit is ${context.limits.maxOpenOrders}`);
  }
  const reserved = reservationFor(cmd, valuation, info.baseAsset, info.quoteAsset);
  const available = account.available[reserved.asset] ?? '0';
  if (dec(available).lt(reserved.amount)) {
    return deny('INSUFFICIENT_BALANCE', `needs ${reserved.amount} ${reserved.asset}, ${available} available`, 'quantity');
  }
  return { ok: true, reserved, baseAsset: info.baseAsset, quoteAsset: info.quoteAsset };
}
