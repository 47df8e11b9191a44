// Page code's client for the gateway's REST API, through the UI server's same-origin proxy
// (/api/...), which adds the session's token. Request bodies are typed and answers checked by the
// contract's own schemas (@blotter/schemas), the ones the gateway validates and serializes with.
import { CandleList, Order, OrderEventsResponse, OrderResponse, type PlaceOrderRequest, Trade } from '@blotter/schemas';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { type ApiError, networkError, toApiError } from './api-errors.ts';
import { conform } from './conform.ts';

export type ApiResult<T> = { ok: true; status: number; value: T } | { ok: false; error: ApiError };

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  fetch?: typeof fetch;
}

export async function request<S extends TSchema>(path: string, schema: S, opts: RequestOptions = {}): Promise<ApiResult<Static<S>>> {
  const res = await fetchJson(path, opts);
  if (!res.ok) return res;
  const value = conform(schema, res.value);
  if (value === undefined) {
    return { ok: false, error: { status: res.status, code: 'BAD_RESPONSE', message: `Unexpected answer from ${path}`, field: null } };
  }
  return { ok: true, status: res.status, value };
}

/** The answer's JSON as it came, not yet checked against any schema (the caller checks it). */
async function fetchJson(path: string, opts: RequestOptions = {}): Promise<ApiResult<unknown>> {
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(path, {
      method: opts.method ?? 'GET',
      headers:
        opts.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
    });
  } catch (err) {
    return { ok: false, error: networkError(err) };
  }
  const body: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) return { ok: false, error: toApiError(res.status, body) };
  return { ok: true, status: res.status, value: body };
}

export const CANDLE_LIMIT = 500;

export const getCandles = (symbol: string, interval: string, f?: typeof fetch) =>
  request(`/api/market/${encodeURIComponent(symbol)}/candles?interval=${encodeURIComponent(interval)}&limit=${CANDLE_LIMIT}`, CandleList, {
    fetch: f,
  });

export const placeOrder = (body: PlaceOrderRequest, f?: typeof fetch) =>
  request('/api/orders', OrderResponse, { method: 'POST', body, fetch: f });

export const cancelOrder = (orderId: string, f?: typeof fetch) =>
  request(`/api/orders/${encodeURIComponent(orderId)}`, OrderResponse, { method: 'DELETE', fetch: f });

export const getOrderEvents = (orderId: string, f?: typeof fetch) =>
  request(`/api/orders/${encodeURIComponent(orderId)}/events`, OrderEventsResponse, { fetch: f });

/** How many older rows one scroll page asks for (the API's maximum is 500). */
export const HISTORY_PAGE = 100;

/**
 * A page of rows checked a few at a time, yielding to the event loop between chunks: checking a
 * whole page against the contract in one go is a long task that stalls a scrolling table.
 */
export async function conformRows<S extends TSchema>(schema: S, rows: unknown, chunk = 10): Promise<Static<S>[] | undefined> {
  if (!Array.isArray(rows)) return undefined;
  const out: Static<S>[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    if (i > 0) await new Promise((r) => setTimeout(r, 0));
    for (const row of rows.slice(i, i + chunk)) {
      // A row that fits is kept as it is (no copy); only one that does not is cleaned of unknown
      // fields and checked again.
      const value = Value.Check(schema, row) ? (row as Static<S>) : conform(schema, row);
      if (value === undefined) return undefined;
      out.push(value);
    }
  }
  return out;
}

async function rowsPage<S extends TSchema>(path: string, field: string, schema: S, f?: typeof fetch): Promise<ApiResult<Static<S>[]>> {
  // The rows are checked by conformRows, a few at a time, rather than the whole answer at once.
  const res = await fetchJson(path, { fetch: f });
  if (!res.ok) return res;
  const body = res.value;
  const rows = await conformRows(
    schema,
    typeof body === 'object' && body !== null && field in body ? (body as Record<string, unknown>)[field] : undefined,
  );
  if (rows === undefined) {
    return { ok: false, error: { status: res.status, code: 'BAD_RESPONSE', message: `Unexpected answer from ${path}`, field: null } };
  }
  return { ok: true, status: res.status, value: rows };
}

/** Closed orders older than the order `before` (from the newest when it is null). */
export const getOlderOrders = (before: string | null, f?: typeof fetch) =>
  rowsPage(`/api/orders?status=closed&limit=${HISTORY_PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`, 'orders', Order, f);

/** Trades older than the trade `before` (`<orderId>:<tradeId>`). */
export const getOlderTrades = (before: string | null, f?: typeof fetch) =>
  rowsPage(`/api/trades?limit=${HISTORY_PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`, 'trades', Trade, f);
