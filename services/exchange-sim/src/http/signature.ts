// Binance's HMAC-SHA256 request signing: the signature covers the query string followed directly by
// the form body (no separator), minus the signature parameter itself, and is sent as lowercase hex.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const hmacHex = (secret: string, payload: string): string => createHmac('sha256', secret).update(payload).digest('hex');

export interface SignedPayload {
  payload: string;
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
        signature = part.slice('signature='.length);
        return false;
      })
      .join('&');
  return { payload: strip(rawQuery) + strip(rawBody), signature };
}

export function signatureMatches(secret: string, payload: string, signature: string): boolean {
  const expected = Buffer.from(hmacHex(secret, payload));
  const given = Buffer.from(signature.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
