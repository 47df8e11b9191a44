// Page code's client for the gateway's REST API, through the UI server's same-origin proxy
// (/api/...), which adds the session's token. Answers are checked against the contract's schemas.
import { Candle, SymbolInfo } from '@blotter/schemas';
import Type, { type Static, type TSchema } from 'typebox';
import { type ApiError, networkError, toApiError } from './api-errors.ts';
import { conform } from './conform.ts';
import { OrderRow, TradeRow } from './live/channels.ts';

export type ApiResult<T> = { ok: true; status: number; value: T } | { ok: false; error: ApiError };

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  fetch?: typeof fetch;
}

export async function request<S extends TSchema>(path: string, schema: S, opts: RequestOptions = {}): Promise<ApiResult<Static<S>>> {
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
  const value = conform(schema, body);
  if (value === undefined) {
    return { ok: false, error: { status: res.status, code: 'BAD_RESPONSE', message: `Unexpected answer from ${path}`, field: null } };
  }
  return { ok: true, status: res.status, value };
}

export const SymbolList = Type.Array(SymbolInfo);
export const CandleList = Type.Array(Candle);
export const OrderEnvelope = Type.Object({ order: OrderRow });
export const OrderEvent = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  version: Type.Integer(),
  at: Type.String(),
  data: Type.Unknown(),
});
export type OrderEvent = Static<typeof OrderEvent>;
export const OrderEvents = Type.Object({ events: Type.Array(OrderEvent) });

export const CANDLE_LIMIT = 500;

export const getCandles = (symbol: string, interval: string, f?: typeof fetch) =>
  request(`/api/market/${encodeURIComponent(symbol)}/candles?interval=${encodeURIComponent(interval)}&limit=${CANDLE_LIMIT}`, CandleList, {
    fetch: f,
  });

export const placeOrder = (body: unknown, f?: typeof fetch) => request('/api/orders', OrderEnvelope, { method: 'POST', body, fetch: f });

export const cancelOrder = (orderId: string, f?: typeof fetch) =>
  request(`/api/orders/${encodeURIComponent(orderId)}`, OrderEnvelope, { method: 'DELETE', fetch: f });

export const getOrderEvents = (orderId: string, f?: typeof fetch) =>
  request(`/api/orders/${encodeURIComponent(orderId)}/events`, OrderEvents, { fetch: f });

/** How many older rows one scroll page asks for (the API's maximum is 500). */
export const HISTORY_PAGE = 200;
export const OrderPage = Type.Object({ orders: Type.Array(OrderRow), version: Type.Integer() });
export const TradePage = Type.Object({ trades: Type.Array(TradeRow), version: Type.Integer() });

/** Closed orders older than the order `before` (all of them from the newest when it is null). */
export const getOlderOrders = (before: string | null, f?: typeof fetch) =>
  request(`/api/orders?status=closed&limit=${HISTORY_PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`, OrderPage, {
    fetch: f,
  });

/** Trades older than the trade `before` (`<orderId>:<tradeId>`). */
export const getOlderTrades = (before: string | null, f?: typeof fetch) =>
  request(`/api/trades?limit=${HISTORY_PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`, TradePage, { fetch: f });
