// Tamper evidence. Each commit's hash covers the previous commit's hash of the same aggregate and
// the canonical JSON of its events, so altering, dropping or reordering any commit of an order
// breaks every later link. Canonical JSON (sorted keys) keeps the hash independent of key order,
// so any language can recompute it.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
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
