// Tamper evidence. Each commit's hash covers the previous commit's hash of the same aggregate and
// the canonical JSON of its events, so altering, dropping or reordering any commit of an order
// breaks every later link. The JSON is canonical by RFC 8785 (the JSON Canonicalization Scheme,
// JCS): members sorted by the UTF-16 code units of their names, no whitespace, strings and numbers
// written as ECMAScript's JSON.stringify writes them. Any language with a JCS library recomputes the
// same hash; test/jcs.test.ts checks the RFC's own examples.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  // JCS has no NaN or Infinity (JSON.stringify would write null: a different document hashed).
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`${value} has no canonical JSON (RFC 8785)`);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // Keys in UTF-16 code-unit order (the default sort), undefined members left out, written in one
  // pass: every commit is hashed on append, so this runs on the gateway's hot path.
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

export function commitHash(prevHash: string | null, events: unknown): string {
  return createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(canonicalJson(events))
    .digest('hex');
}
