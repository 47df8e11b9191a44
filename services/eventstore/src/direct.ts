// JetStream direct get ($JS.API.DIRECT.GET), the read path for single aggregates. Any server that
// holds the stream (replicas and mirrors too, with allow_direct) answers without a consumer, which is
// what keeps loading an order cheap. nats.js 2.x only exposes this on an internal class, so the
// protocol (documented in ADR-31) is spoken here directly.
import { Empty, type NatsConnection } from 'nats';

export type DirectQuery = { seq: number } | { last_by_subj: string } | { seq: number; next_by_subj: string };

export interface DirectMessage {
  seq: number;
  subject: string;
  time: Date;
  data: Uint8Array;
}

export class DirectGetError extends Error {
  override readonly name = 'DirectGetError';
}

const encoder = new TextEncoder();

/** The matching message, or null when the stream holds none (status 404). */
export async function directGet(nc: NatsConnection, stream: string, query: DirectQuery, timeoutMs = 5000): Promise<DirectMessage | null> {
  // last_by_subj travels in the request subject so subject-scoped permissions can apply to it.
  const [subject, payload] =
    'last_by_subj' in query
      ? [`$JS.API.DIRECT.GET.${stream}.${query.last_by_subj}`, Empty]
      : [`$JS.API.DIRECT.GET.${stream}`, encoder.encode(JSON.stringify(query))];
  const reply = await nc.request(subject, payload, { timeout: timeoutMs });
  const h = reply.headers;
  if (!h) throw new DirectGetError(`direct get on ${stream} answered without headers`);
  if (h.hasError) {
    if (h.code === 404) return null;
    throw new DirectGetError(`direct get on ${stream} failed: ${h.code} ${h.description}`);
  }
  return {
    seq: Number(h.get('Nats-Sequence')),
    subject: h.get('Nats-Subject'),
    time: new Date(h.get('Nats-Time-Stamp')),
    data: reply.data,
  };
}
