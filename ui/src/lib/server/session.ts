// The session cookie. It holds the gateway's JWT and is httpOnly, so no page script (nor an XSS
// payload) can read it; SameSite=Lax keeps it off cross-site POSTs (the proxy's CSRF defence).
import type { Theme } from '../theme.ts';

export { THEME_COOKIE } from '../theme.ts';
export const SESSION_COOKIE = 'blotter_session';
/** When the token's own expiry cannot be read. */
export const DEFAULT_SESSION_SECONDS = 12 * 60 * 60;

export interface CookieOptions {
  path: string;
  httpOnly: boolean;
  sameSite: 'lax' | 'strict';
  secure: boolean;
  maxAge: number;
}

/** Seconds until the JWT's `exp`, read without verifying (the gateway verifies); null if absent. */
export function secondsUntilExpiry(token: string, nowMs: number): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (json && typeof json === 'object' && 'exp' in json && typeof json.exp === 'number') {
      return Math.floor(json.exp - nowMs / 1000);
    }
  } catch {
    // not a JWT we can read: fall back to the default lifetime
  }
  return null;
}

export function sessionCookieOptions(url: URL, token: string, nowMs = Date.now()): CookieOptions {
  const left = secondsUntilExpiry(token, nowMs);
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    // Browsers drop Secure cookies on plain http (other than localhost): secure exactly when served over https.
    secure: url.protocol === 'https:',
    maxAge: left !== null && left > 0 ? left : DEFAULT_SESSION_SECONDS,
  };
}

export function clearedCookieOptions(url: URL): Pick<CookieOptions, 'path' | 'httpOnly' | 'sameSite' | 'secure'> {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' };
}

export const themeOf = (cookie: string | undefined): Theme => (cookie === 'light' ? 'light' : 'dark');

/** Paths anyone may open; everything else needs a session. The schema catalog is public, as on the gateway. */
const PUBLIC = [/^\/login\/?$/, /^\/register\/?$/, /^\/logout\/?$/, /^\/api\//, /^\/session\//, /^\/schemas(\/|$)/];
export const isPublicPath = (pathname: string): boolean => PUBLIC.some((re) => re.test(pathname));
