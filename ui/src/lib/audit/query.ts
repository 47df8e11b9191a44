// The audit pages keep their filters in the URL (shareable, back/forward work, no JS needed) and
// turn them into the gateway's audit queries. Everything here is pure.
import { utcInputToIso } from './time.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EVENT_TYPE = /^[A-Za-z]{1,64}$/;
const SYMBOL = /^[A-Z0-9]{2,20}$/;
const SEQ = /^[0-9]{1,15}$/;

export const PAGE_SIZES = [10, 25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

export const isUuid = (v: string) => UUID.test(v);

/** A user reference the gateway takes: an id or an email. */
export const isUserRef = (v: string) => UUID.test(v) || (EMAIL.test(v) && v.length <= 254);

export interface EventFilters {
  user: string;
  order: string;
  type: string;
  /** As typed (a datetime-local value, UTC) or an ISO time. */
  since: string;
  until: string;
  /**
   * The page cursor: events after stream sequence `after`, less the first `skip` events of the
   * next commit (already shown: one commit can hold several events, and a page can end inside it).
   */
  after: number | null;
  skip: number;
  limit: number;
}

export type FilterErrors = Partial<Record<keyof EventFilters, string>>;

const text = (params: URLSearchParams, name: string) => (params.get(name) ?? '').trim();

/** The select offers PAGE_SIZES; a URL may ask for any size the gateway takes (1 to 1000). */
function pageSize(raw: string, max = MAX_PAGE_SIZE): number {
  const n = Number(raw);
  return /^[0-9]{1,4}$/.test(raw) && n >= 1 && n <= max ? n : DEFAULT_PAGE_SIZE;
}

/** The stream browser's filters from its URL, with a message for each one that cannot be used. */
export function readEventFilters(params: URLSearchParams): { filters: EventFilters; errors: FilterErrors } {
  const errors: FilterErrors = {};
  const filters: EventFilters = {
    user: text(params, 'user'),
    order: text(params, 'order').toLowerCase(),
    type: text(params, 'type'),
    since: text(params, 'since'),
    until: text(params, 'until'),
    after: null,
    skip: 0,
    limit: pageSize(text(params, 'limit')),
  };
  if (filters.user && !isUserRef(filters.user)) errors.user = 'Pick a user, or enter an email or a user id';
  if (filters.order && !UUID.test(filters.order)) errors.order = 'An order id is a UUID like 0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a';
  if (filters.type && !EVENT_TYPE.test(filters.type)) errors.type = 'An event type is a name like OrderFilled';
  const since = filters.since ? utcInputToIso(filters.since) : null;
  const until = filters.until ? utcInputToIso(filters.until) : null;
  if (filters.since && !since) errors.since = 'Not a date and time';
  if (filters.until && !until) errors.until = 'Not a date and time';
  if (since && until && since > until) errors.until = 'The end is before the start';
  const after = text(params, 'after');
  if (after) {
    if (SEQ.test(after)) filters.after = Number(after);
    else errors.after = 'Not a stream position';
  }
  const skip = text(params, 'skip');
  if (filters.after !== null && /^[0-9]{1,4}$/.test(skip)) filters.skip = Math.min(Number(skip), MAX_PAGE_SIZE);
  return { filters, errors };
}

function query(entries: [string, string | number | null | undefined][]): string {
  const q = new URLSearchParams();
  for (const [k, v] of entries) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** GET /api/audit/events for valid filters (invalid ones are left out, and reported by the page). */
export function eventsApiPath(f: EventFilters, errors: FilterErrors = {}): string {
  const ok = (k: keyof EventFilters) => !errors[k];
  return `/api/audit/events${query([
    ['user', ok('user') ? f.user : null],
    ['order', ok('order') ? f.order : null],
    ['type', ok('type') ? f.type : null],
    ['since', ok('since') && f.since ? utcInputToIso(f.since) : null],
    ['until', ok('until') && f.until ? utcInputToIso(f.until) : null],
    ['after', ok('after') ? f.after : null],
    ['limit', Math.min(f.limit + (ok('after') ? f.skip : 0), MAX_PAGE_SIZE)],
  ])}`;
}

export interface EventPage<E> {
  events: E[];
  /** The cursor of the next page, or null at the end. */
  next: { after: number; skip: number } | null;
}

/**
 * One page of the stream from the gateway's answer to eventsApiPath. The gateway pages by commit
 * sequence (`next` is the last event's commit), so a page that ends inside a commit holding several
 * events would lose the rest of that commit on the next page. The cursor here is (commit before the
 * last one, events of the last commit already shown): the next page asks from that commit again and
 * drops what was shown, so every event appears exactly once.
 */
export function pageOfEvents<E extends { seq: number }>(answer: E[], gatewayHasMore: boolean, f: EventFilters): EventPage<E> {
  const partial = f.after === null ? null : f.after + 1;
  let dropped = 0;
  const rest: E[] = [];
  for (const e of answer) {
    if (dropped < f.skip && e.seq === partial) dropped++;
    else rest.push(e);
  }
  const events = rest.slice(0, f.limit);
  const last = events.at(-1);
  if (!last || !(gatewayHasMore || rest.length > f.limit)) return { events, next: null };
  let shownOfLast = events.filter((e) => e.seq === last.seq).length;
  if (last.seq === partial) shownOfLast += dropped;
  return { events, next: { after: last.seq - 1, skip: shownOfLast } };
}

/** The stream browser's own URL for filters (the default page size is left out). */
export function eventsPageHref(f: EventFilters, changes: Partial<EventFilters> = {}): string {
  const g = { ...f, ...changes };
  return `/audit${query([
    ['user', g.user],
    ['order', g.order],
    ['type', g.type],
    ['since', g.since],
    ['until', g.until],
    ['limit', g.limit === DEFAULT_PAGE_SIZE ? null : g.limit],
    ['after', g.after],
    ['skip', g.after === null || g.skip === 0 ? null : g.skip],
  ])}`;
}

/** A form's fields as a clean URL: empty fields are dropped, not sent as `name=`. */
export function cleanFormHref(path: string, form: FormData): string {
  const entries: [string, string][] = [];
  for (const [k, v] of form.entries()) if (typeof v === 'string' && v.trim() !== '') entries.push([k, v.trim()]);
  return `${path}${query(entries)}`;
}

export interface AsOfFilters {
  user: string;
  /** A datetime-local value (UTC) or an ISO time; empty = now. */
  at: string;
  /** A stream sequence; wins over `at`. */
  seq: string;
}

export interface AsOfQuery {
  filters: AsOfFilters;
  errors: Partial<Record<keyof AsOfFilters, string>>;
  /** The gateway's `asOf`: an ISO time, a sequence, or null for live. */
  asOf: string | null;
  /** The API query string, or null when there is nothing to ask (live needs a user). */
  apiQuery: string | null;
}

export function readAsOf(params: URLSearchParams): AsOfQuery {
  const filters: AsOfFilters = { user: text(params, 'user'), at: text(params, 'at'), seq: text(params, 'seq') };
  const errors: AsOfQuery['errors'] = {};
  if (filters.user && !isUserRef(filters.user)) errors.user = 'Pick a user, or enter an email or a user id';
  let asOf: string | null = null;
  if (filters.seq) {
    if (SEQ.test(filters.seq)) asOf = String(Number(filters.seq));
    else errors.seq = 'A stream sequence is a whole number';
  } else if (filters.at) {
    asOf = utcInputToIso(filters.at);
    if (!asOf) errors.at = 'Not a date and time';
  }
  const user = errors.user ? '' : filters.user;
  if (errors.at || errors.seq || errors.user) return { filters, errors, asOf, apiQuery: null };
  if (!asOf && !user) return { filters, errors, asOf, apiQuery: null };
  return {
    filters,
    errors,
    asOf,
    apiQuery: query([
      ['user', user],
      ['asOf', asOf],
    ]),
  };
}

export interface OrderFilters {
  user: string;
  status: 'open' | 'closed' | 'all';
  symbol: string;
  before: string;
  limit: number;
}

export function readOrderFilters(params: URLSearchParams): { filters: OrderFilters; errors: Partial<Record<keyof OrderFilters, string>> } {
  const status = text(params, 'status');
  const filters: OrderFilters = {
    user: text(params, 'user'),
    status: status === 'open' || status === 'closed' ? status : 'all',
    symbol: text(params, 'symbol').toUpperCase(),
    before: text(params, 'before').toLowerCase(),
    // GET /api/audit/orders takes up to 500.
    limit: pageSize(text(params, 'limit'), 500),
  };
  const errors: Partial<Record<keyof OrderFilters, string>> = {};
  if (filters.user && !isUserRef(filters.user)) errors.user = 'Pick a user, or enter an email or a user id';
  if (filters.symbol && !SYMBOL.test(filters.symbol)) errors.symbol = 'A symbol is like BTCUSDT';
  if (filters.before && !UUID.test(filters.before)) errors.before = 'Not an order id';
  return { filters, errors };
}

export function ordersApiPath(f: OrderFilters, errors: Partial<Record<keyof OrderFilters, string>> = {}): string {
  return `/api/audit/orders${query([
    ['user', errors.user ? null : f.user],
    ['status', f.status],
    ['symbol', errors.symbol ? null : f.symbol],
    ['before', errors.before ? null : f.before],
    ['limit', f.limit],
  ])}`;
}

export function ordersPageHref(f: OrderFilters, changes: Partial<OrderFilters> = {}): string {
  const g = { ...f, ...changes };
  return `/audit/orders${query([
    ['user', g.user],
    ['status', g.status === 'all' ? null : g.status],
    ['symbol', g.symbol],
    ['limit', g.limit === DEFAULT_PAGE_SIZE ? null : g.limit],
    ['before', g.before],
  ])}`;
}

/** Order aggregates are the ones whose events link to an order timeline. */
export const isOrderEvent = (type: string) => /^Order[A-Z]/.test(type);
