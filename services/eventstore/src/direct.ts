// JetStream direct get ($JS.API.DIRECT.GET), the read path for single aggregates. Any server that
// holds the stream (replicas and mirrors too, with allow_direct) answers without a consumer, which is
// what keeps loading an order cheap. nats.js 2.x only exposes this on an internal class, so the
// protocol (documented in ADR-31) is spoken here directly, including the batched form (2.11+) that
// reads a user's events in a few round trips.
import { Empty, type NatsConnection, RequestStrategy } from 'nats';

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

/** The status of the marker that ends a batched direct get. */
const EOB = 204;

/**
 * Up to `batch` messages matching `filter` (wildcards allowed) from sequence `fromSeq` on, oldest
 * first, in one request (batched direct get, nats-server ≥ 2.11). `done` is true when nothing
 * matching was left after the last message returned, as of the server's answer.
 */
export async function directGetBatch(
  nc: NatsConnection,
  stream: string,
  filter: string,
  fromSeq: number,
  batch: number,
  timeoutMs = 5000,
): Promise<{ messages: DirectMessage[]; done: boolean }> {
  const request = encoder.encode(JSON.stringify({ seq: fromSeq, next_by_subj: filter, batch }));
  const replies = await nc.requestMany(`$JS.API.DIRECT.GET.${stream}`, request, {
    strategy: RequestStrategy.SentinelMsg,
    maxWait: timeoutMs,
  });
  const messages: DirectMessage[] = [];
  let pending = -1;
  for await (const reply of replies) {
    const h = reply.headers;
    if (!h) throw new DirectGetError(`direct get on ${stream} answered without headers`);
    // The end of a batch is a status message (204 EOB, not an error); 404: nothing (more) matches.
    if (h.code === EOB) {
      const left = h.get('Nats-Num-Pending');
      return { messages, done: (left === '' ? pending : Number(left)) === 0 };
    }
    if (h.hasError) {
      if (h.code === 404) return { messages, done: true };
      throw new DirectGetError(`direct get on ${stream} failed: ${h.code} ${h.description}`);
    }
    pending = Number(h.get('Nats-Num-Pending'));
    messages.push({
      seq: Number(h.get('Nats-Sequence')),
      subject: h.get('Nats-Subject'),
      time: new Date(h.get('Nats-Time-Stamp')),
      data: reply.data,
    });
  }
  // requestMany ends quietly at maxWait: without the end-of-batch marker the answer is incomplete.
  throw new DirectGetError(`direct get on ${stream} timed out after ${messages.length} messages`);
}
