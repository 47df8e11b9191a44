// Ids. Random ids are UUIDv7 (time-ordered, so indexes stay compact and ids sort by creation);
// ids that must come out the same on every retry are derived from a name (RFC 9562 v8 over sha256).
import { createHash, randomUUID } from 'node:crypto';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const format = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;

/**
 * A UUIDv7: 48 bits of Unix milliseconds, then random bits. The random bits are a v4 UUID's
 * (`randomUUID` draws from a cached entropy pool; `randomBytes(16)` per id was a CSPRNG call per
 * id, 3 % of the gateway's thread in the benchmark's profile): its first 48 bits become the time,
 * its version nibble 7; the RFC variant bits are the same in both versions.
 */
export function uuidv7(now = Date.now()): string {
  const ms = now.toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

/** A UUIDv8 derived from a name: the same name always gives the same id. */
export function nameUuid(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  return format(hex(bytes));
}
