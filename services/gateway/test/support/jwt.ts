// Hand-made JWTs for the authorization suites: forged, expired, unsigned, tampered.
import { createHmac, randomBytes } from 'node:crypto';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A JWT signed with HMAC (`alg` as given; HS256 unless told) over exactly the header and claims. */
export function signJwt(
  claims: Record<string, unknown>,
  secret: string | Buffer,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
) {
  const head = `${b64(header)}.${b64(claims)}`;
  const alg = String(header.alg);
  const hash = alg === 'HS512' ? 'sha512' : alg === 'HS384' ? 'sha384' : 'sha256';
  return `${head}.${createHmac(hash, secret).update(head).digest('base64url')}`;
}

/** `alg: none`, with an empty signature (and variants of the spelling). */
export function unsignedJwt(claims: Record<string, unknown>, alg = 'none') {
  return `${b64({ alg, typ: 'JWT' })}.${b64(claims)}.`;
}

/** Replaces the claims of a real token and keeps its signature. */
export function tamper(token: string, change: (claims: Record<string, unknown>) => Record<string, unknown>) {
  const [head, body, sig] = token.split('.');
  const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, unknown>;
  return `${head}.${b64(change(claims))}.${sig}`;
}

export const now = () => Math.floor(Date.now() / 1000);

export const otherSecret = () => randomBytes(32).toString('hex');
