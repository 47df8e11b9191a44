// Display formatting for decimal strings. Money never becomes a JS number here: every rounding is
// big.js, and grouping is done on the digits, so "64250.1" shows as "64,250.10" exactly.
import { D, dec, decimalsOf } from '@blotter/orders/money';
import type { SymbolInfo } from '@blotter/schemas';

const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * `value` at `dp` decimals, with thousands separators: rounded half-even, or with `truncate` cut
 * toward zero (for what is held or ordered: a shown quantity must never be more than the real one).
 * Anything that is not a decimal string (null, '', garbage from a bad message) shows as an em dash
 * rather than NaN.
 */
export function formatDecimal(
  value: string | null | undefined,
  dp: number,
  opts: { sign?: boolean; trim?: boolean; truncate?: boolean } = {},
): string {
  if (value === null || value === undefined || !isDecimal(value)) return '—';
  let fixed = dec(value)
    .round(dp, opts.truncate ? D.roundDown : D.roundHalfEven)
    .toFixed(dp);
  if (opts.trim && fixed.includes('.')) fixed = fixed.replace(/\.?0+$/, '');
  const negative = fixed.startsWith('-');
  const [intPart = '0', frac] = (negative ? fixed.slice(1) : fixed).split('.');
  const isZero = /^[0.]*$/.test(negative ? fixed.slice(1) : fixed);
  const body = frac === undefined ? group(intPart) : `${group(intPart)}.${frac}`;
  if (negative && !isZero) return `-${body}`;
  if (opts.sign && !isZero) return `+${body}`;
  return body;
}

/** Decimals shown for prices and quote amounts of a symbol: those of its tick size. */
export function priceDecimals(info: Pick<SymbolInfo, 'tickSize'>): number {
  return decimalsOf(info.tickSize);
}

/** Decimals shown for quantities of a symbol: those of its step size. */
export function quantityDecimals(info: Pick<SymbolInfo, 'stepSize'>): number {
  return decimalsOf(info.stepSize);
}

export function formatPrice(value: string | null | undefined, info: Pick<SymbolInfo, 'tickSize'>): string {
  return formatDecimal(value, priceDecimals(info));
}

/**
 * A quantity at the step's decimals, truncated: a holding of 0.000999 on a 0.00001 step shows as
 * 0.00099 (what can be sold), never 0.00100 (which the venue would refuse as more than held).
 */
export function formatQuantity(value: string | null | undefined, info: Pick<SymbolInfo, 'stepSize'>): string {
  return formatDecimal(value, quantityDecimals(info), { truncate: true });
}

/** Amounts of an asset no listed market tells the precision of: up to 8 decimals, truncated, trailing zeros dropped. */
export function formatAmount(value: string | null | undefined): string {
  return formatDecimal(value, 8, { trim: true, truncate: true });
}

/** An amount of an asset at that asset's decimals (assetDecimals), truncated toward zero like every holding. */
export function formatAssetAmount(value: string | null | undefined, dp: number): string {
  return formatDecimal(value, dp, { truncate: true });
}

/**
 * A fee as charged: at least the asset's decimals, and every decimal it really has. A fee is what
 * the trader paid; rounding or truncating 0.000004 BTC to the asset's 5 decimals would show 0.
 */
export function formatFee(value: string | null | undefined, dp: number): string {
  if (value === null || value === undefined || !isDecimal(value)) return '—';
  return formatDecimal(value, Math.max(dp, decimalsOf(dec(value).abs().toFixed())));
}

/**
 * The decimals an asset is shown at, from the exchange filters of the listed markets: a base asset
 * at its finest quantity step (what can be traded of it), a quote-only asset at its finest tick (what
 * prices and totals are quoted in). 8 (the venue's own asset precision) for an asset no market names.
 */
export function assetDecimals(
  asset: string,
  symbols: readonly Pick<SymbolInfo, 'baseAsset' | 'quoteAsset' | 'stepSize' | 'tickSize'>[],
): number {
  const asBase = symbols.filter((s) => s.baseAsset === asset).map((s) => decimalsOf(s.stepSize));
  if (asBase.length > 0) return Math.max(...asBase);
  const asQuote = symbols.filter((s) => s.quoteAsset === asset).map((s) => decimalsOf(s.tickSize));
  if (asQuote.length > 0) return Math.max(...asQuote);
  return 8;
}

/** PnL in the quote asset, always signed so a glance tells gain from loss. */
export function formatPnl(value: string | null | undefined, dp = 2): string {
  return formatDecimal(value, dp, { sign: true });
}

export type Sign = 'pos' | 'neg' | 'zero' | 'none';

export function signOf(value: string | null | undefined): Sign {
  if (value === null || value === undefined || !isDecimal(value)) return 'none';
  const v = dec(value);
  if (v.gt(0)) return 'pos';
  if (v.lt(0)) return 'neg';
  return 'zero';
}

export type Direction = 'up' | 'down' | 'flat';

/** Which way the last price moved; used to colour the ticker. */
export function direction(previous: string | null | undefined, next: string | null | undefined): Direction {
  if (!previous || !next || !isDecimal(previous) || !isDecimal(next)) return 'flat';
  const cmp = dec(next).cmp(previous);
  return cmp > 0 ? 'up' : cmp < 0 ? 'down' : 'flat';
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-11-24 12:00:01 UTC"-style without the zone: every time on screen is UTC. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** "STOP_LOSS_LIMIT" → "Stop-limit", "PARTIALLY_FILLED" → "Partially filled". */
export function humanize(code: string): string {
  if (code === 'STOP_LOSS_LIMIT') return 'Stop-limit';
  if (code === 'TAKE_PROFIT_LIMIT') return 'Take-profit limit';
  const words = code.toLowerCase().split('_');
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The date part of formatTime: "2026-11-24". */
export function formatDate(iso: string | null | undefined): string {
  return formatTime(iso).slice(0, 10);
}
