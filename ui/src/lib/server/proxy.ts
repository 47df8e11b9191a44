// The same-origin proxy from page code to the gateway's REST API. Header handling is an allowlist
// both ways: the browser's cookies never reach the gateway (only the session's token does, as a
// bearer), and the gateway's Set-Cookie or hop-by-hop headers never reach the browser.

/** Paths the proxy refuses: auth answers carry tokens page code must never see; ws is not HTTP. */
const BLOCKED = [/^auth(\/|$)/, /^ws(\/|$)/];

/**
 * The gateway URL for `/api/<path>?<search>`, or null when the path is refused. Each segment is
 * re-encoded, and dot segments are rejected, so a path can never climb out of /api/.
 */
export function proxyTarget(gatewayUrl: string, path: string, search: string): string | null {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0) return null;
  if (segments.some((s) => s === '.' || s === '..' || s.includes('\\'))) return null;
  const joined = segments.map((s) => encodeURIComponent(s)).join('/');
  if (BLOCKED.some((re) => re.test(joined))) return null;
  return `${gatewayUrl}/api/${joined}${search}`;
}

const REQUEST_HEADERS = ['accept', 'content-type', 'idempotency-key', 'if-none-match', 'accept-language'];
const RESPONSE_HEADERS = ['content-type', 'cache-control', 'etag', 'retry-after', 'x-request-id', 'location'];
const RESPONSE_PREFIXES = ['ratelimit', 'x-ratelimit-'];

export function proxyRequestHeaders(incoming: Headers, token: string | null): Headers {
  const out = new Headers();
  for (const name of REQUEST_HEADERS) {
    const value = incoming.get(name);
    if (value !== null) out.set(name, value);
  }
  if (token) out.set('authorization', `Bearer ${token}`);
  return out;
}

export function proxyResponseHeaders(upstream: Headers): Headers {
  const out = new Headers();
  upstream.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (RESPONSE_HEADERS.includes(lower) || RESPONSE_PREFIXES.some((p) => lower.startsWith(p))) out.set(lower, value);
  });
  return out;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state-changing request sent by another site. SameSite=Lax already keeps the cookie off it;
 * this refuses it outright (SvelteKit's own check covers form posts only, not JSON).
 */
export function isCrossSiteWrite(method: string, origin: string | null, secFetchSite: string | null, ownOrigin: string): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (secFetchSite !== null && secFetchSite !== 'same-origin' && secFetchSite !== 'none') return true;
  return origin !== null && origin !== ownOrigin;
}
