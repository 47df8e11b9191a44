// Binance's request signing. The payload of a REST request is its query string followed directly
// by its form body (no separator), the signature parameter removed, exactly as sent (still
// percent-encoded); a WebSocket API request signs its params sorted by name as `k=v&…`. HMAC keys
// sign with HMAC-SHA256 as hex (case-insensitive); Ed25519 and RSA (PKCS#1 v1.5, SHA-256) keys sign
// with the private key, as base64 (case-sensitive).
import { createHmac, createPublicKey, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import type { Account } from '../engine/accounts.ts';

export const hmacHex = (secret: string, payload: string): string => createHmac('sha256', secret).update(payload).digest('hex');

export interface SignedPayload {
  payload: string;
  /** Percent-decoded. */
  signature: string | undefined;
}

/** Splits the signature out of the raw (still percent-encoded) query and body, keeping the rest verbatim. */
export function extractSignature(rawQuery: string, rawBody: string): SignedPayload {
  let signature: string | undefined;
  const strip = (raw: string): string =>
    raw
      .split('&')
      .filter((part) => {
        if (!part.startsWith('signature=')) return true;
        signature = decode(part.slice('signature='.length));
        return false;
      })
      .join('&');
  return { payload: strip(rawQuery) + strip(rawBody), signature };
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const publicKeys = new WeakMap<Account, KeyObject>();

export function signatureMatches(account: Account, payload: string, signature: string): boolean {
  const c = account.credential;
  if (c.type === 'HMAC') {
    const expected = Buffer.from(hmacHex(c.secret, payload));
    const given = Buffer.from(signature.toLowerCase());
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
  let key = publicKeys.get(account);
  if (!key) {
    key = createPublicKey(c.publicKey);
    publicKeys.set(account, key);
  }
  const sig = Buffer.from(signature, 'base64');
  if (sig.length === 0) return false;
  try {
    return verify(c.type === 'RSA' ? 'RSA-SHA256' : null, Buffer.from(payload), key, sig);
  } catch {
    return false;
  }
}

/** WS API signing: every param but `signature`, sorted by name, joined as a query string (not percent-encoded). */
export const wsSignaturePayload = (params: Record<string, unknown>, encode = false): string =>
  Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => {
      const v = params[k];
      const text = Array.isArray(v) || (typeof v === 'object' && v !== null) ? JSON.stringify(v) : String(v);
      return `${k}=${encode ? encodeURIComponent(text) : text}`;
    })
    .join('&');
