// The UI server's configuration, read from the environment once and checked. Framework-free so
// tests can feed it any env; `env.ts` binds it to SvelteKit's $env.
import { wsUrlFor } from '../live/protocol.ts';

export interface UiConfig {
  /** Where the UI server reaches the gateway's HTTP API (server-side only). */
  gatewayUrl: string;
  /** ws(s):// URL of the gateway's /api/ws as the browser must dial it. */
  wsUrl: string;
  /** Origin of wsUrl, added to the CSP's connect-src. */
  wsOrigin: string;
  /** Per-request timeout for gateway calls, in ms. */
  gatewayTimeoutMs: number;
}

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:3001';

function httpUrl(name: string, value: string, schemes: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: ${value}`);
  }
  if (!schemes.includes(url.protocol)) throw new Error(`${name} must use ${schemes.join(' or ')}: ${value}`);
  return url;
}

export function readConfig(env: Record<string, string | undefined>): UiConfig {
  const gateway = httpUrl('GATEWAY_URL', env.GATEWAY_URL || DEFAULT_GATEWAY_URL, ['http:', 'https:']);
  const publicUrl = httpUrl('GATEWAY_PUBLIC_URL', env.GATEWAY_PUBLIC_URL || gateway.toString(), ['http:', 'https:', 'ws:', 'wss:']);
  const ws = new URL(wsUrlFor(publicUrl.toString()));
  const timeout = Number(env.GATEWAY_TIMEOUT_MS ?? 10_000);
  if (!Number.isInteger(timeout) || timeout <= 0)
    throw new Error(`GATEWAY_TIMEOUT_MS must be a positive integer: ${env.GATEWAY_TIMEOUT_MS}`);
  return {
    gatewayUrl: gateway.toString().replace(/\/+$/, ''),
    wsUrl: ws.toString(),
    wsOrigin: `${ws.protocol}//${ws.host}`,
    gatewayTimeoutMs: timeout,
  };
}
