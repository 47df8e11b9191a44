// Tamper evidence. Each commit's hash covers the previous commit's hash of the same aggregate and
// the canonical JSON of its events, so altering, dropping or reordering any commit of an order
// breaks every later link. Canonical JSON (sorted keys) keeps the hash independent of key order,
// so any language can recompute it.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function commitHash(prevHash: string | null, events: unknown): string {
  return createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(canonicalJson(events))
    .digest('hex');
}
