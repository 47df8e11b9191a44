// The UI server's client for the gateway's HTTP API. Every call says whose it is (the session's
// token) and comes back as a Result: the gateway's error envelope, or SERVICE_UNAVAILABLE when it
// does not answer, never an exception a route would have to guess about.
import { AuthResponse, type Credentials, Me, type VenueKeysRequest, WsTicketResponse } from '@blotter/schemas';
import type { Static, TSchema } from 'typebox';
import { type ApiError, toApiError, unreachableBody } from '../api-errors.ts';
import { conform } from '../conform.ts';
import type { UiConfig } from './config.ts';

export type Result<T> = { ok: true; value: T; status: number } | { ok: false; error: ApiError };

export interface GatewayCall {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the gateway's root, starting with /api/. */
  path: string;
  token?: string | null;
  body?: unknown;
}

export interface RawResponse {
  status: number;
  body: unknown;
}

/** Sends one request; null when the gateway could not be reached (refused, DNS, timeout). */
export async function send(cfg: UiConfig, req: GatewayCall, fetchImpl: typeof fetch = fetch): Promise<RawResponse | null> {
  const headers = new Headers({ accept: 'application/json' });
  if (req.token) headers.set('authorization', `Bearer ${req.token}`);
  if (req.body !== undefined) headers.set('content-type', 'application/json');
  let res: Response;
  try {
    res = await fetchImpl(`${cfg.gatewayUrl}${req.path}`, {
      method: req.method ?? 'GET',
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(cfg.gatewayTimeoutMs),
      redirect: 'manual',
    });
  } catch {
    return null;
  }
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body };
}

/** A 2xx whose body conforms to `schema`, else the error to show. */
export async function call<S extends TSchema>(
  cfg: UiConfig,
  req: GatewayCall,
  schema: S,
  fetchImpl: typeof fetch = fetch,
): Promise<Result<Static<S>>> {
  const res = await send(cfg, req, fetchImpl);
  if (!res) return { ok: false, error: toApiError(503, unreachableBody()) };
  if (res.status < 200 || res.status >= 300) return { ok: false, error: toApiError(res.status, res.body) };
  const value = conform(schema, res.body);
  if (value === undefined) {
    return {
      ok: false,
      error: {
        status: 502,
        code: 'BAD_GATEWAY_RESPONSE',
        message: `The gateway's answer to ${req.path} does not match the contract`,
        field: null,
      },
    };
  }
  return { ok: true, value, status: res.status };
}

/** For 204 answers: success carries nothing. */
export async function callNoContent(cfg: UiConfig, req: GatewayCall, fetchImpl: typeof fetch = fetch): Promise<Result<null>> {
  const res = await send(cfg, req, fetchImpl);
  if (!res) return { ok: false, error: toApiError(503, unreachableBody()) };
  if (res.status < 200 || res.status >= 300) return { ok: false, error: toApiError(res.status, res.body) };
  return { ok: true, value: null, status: res.status };
}

export const login = (cfg: UiConfig, creds: Credentials) =>
  call(cfg, { method: 'POST', path: '/api/auth/login', body: creds }, AuthResponse);
export const register = (cfg: UiConfig, creds: Credentials) =>
  call(cfg, { method: 'POST', path: '/api/auth/register', body: creds }, AuthResponse);
export const me = (cfg: UiConfig, token: string) => call(cfg, { path: '/api/me', token }, Me);
export const wsTicket = (cfg: UiConfig, token: string) =>
  call(cfg, { method: 'POST', path: '/api/auth/ws-ticket', token }, WsTicketResponse);
export const putVenueKeys = (cfg: UiConfig, token: string, keys: VenueKeysRequest) =>
  callNoContent(cfg, { method: 'PUT', path: '/api/me/venue-keys', token, body: keys });
export const deleteVenueKeys = (cfg: UiConfig, token: string) =>
  callNoContent(cfg, { method: 'DELETE', path: '/api/me/venue-keys', token });
