// The wire format of the event stream. A command's events are appended as ONE message (a commit),
// since NATS 2.10 has no atomic multi-message publish: a commit is all-or-nothing by construction.
import Type, { type Static } from 'typebox';
import { Id, Timestamp } from './primitives.ts';

const EXAMPLE_ENVELOPE = {
  eventId: '0192f4a9-1111-7000-8000-00000000000a',
  type: 'OrderAccepted',
  version: 1,
  subject: 'blotter.evt.2.0192f4a7-0000-7000-8000-000000000001.order.0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a',
  aggregateId: '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a',
  userId: '0192f4a7-0000-7000-8000-000000000001',
  occurredAt: '2026-11-24T12:00:00.120Z',
  causationId: 'ack-0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a',
  correlationId: 'req-7f3a',
  data: { orderId: '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a', venueOrderId: '28457', acceptedAt: '2026-11-24T12:00:00.120Z' },
};

export const EventEnvelope = Type.Object(
  {
    eventId: Id,
    type: Type.String({ maxLength: 64 }),
    /** Schema version of `data` as written; readers upcast older versions to the latest. */
    version: Type.Integer({ minimum: 1 }),
    /** The stream subject the commit was appended to. */
    subject: Type.String({ maxLength: 255 }),
    aggregateId: Type.String({ maxLength: 64 }),
    userId: Id,
    occurredAt: Timestamp,
    /** The command (or event) that caused this event. */
    causationId: Type.Union([Type.String({ maxLength: 128 }), Type.Null()]),
    /** Ties together everything one request set in motion (an HTTP request id, a replay id). */
    correlationId: Type.Union([Type.String({ maxLength: 128 }), Type.Null()]),
    data: Type.Unknown(),
  },
  { additionalProperties: false, examples: [EXAMPLE_ENVELOPE] },
);
export type EventEnvelope = Static<typeof EventEnvelope>;

export const Commit = Type.Object(
  {
    /** The command id; also the `Nats-Msg-Id`, so a retried append is deduplicated by the server. */
    commitId: Type.String({ minLength: 1, maxLength: 128 }),
    events: Type.Array(EventEnvelope, { minItems: 1, maxItems: 100 }),
    /** Hash of the previous commit of the same aggregate (null for the first): a tamper-evident chain. */
    prevHash: Type.Union([Type.String({ pattern: '^[0-9a-f]{64}$' }), Type.Null()]),
    /** sha256 over prevHash and the canonical JSON of the events. */
    hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        commitId: 'ack-0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a',
        events: [EXAMPLE_ENVELOPE],
        prevHash: '9c1185a5c5e9fc54612808977ee8f548b2258d31b06e8b1f2ae7e21b4f6f2a10',
        hash: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945',
      },
    ],
  },
);
export type Commit = Static<typeof Commit>;
