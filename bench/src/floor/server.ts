// The floor of any HTTP order path (row 4a): the least a gateway can do per order and still be
// honest — verify an HS256 session token (@fastify/jwt, as the gateway does), validate a small JSON
// body against a TypeBox schema (fastify's compiled validator, as the gateway does), and make one
// JetStream publish with a message id and an expected last subject sequence (optimistic
// concurrency on the user's subject, the sequence kept in memory and each user's publishes queued,
// as Blotter's ScopeRepository does). No logging, no read, no decision. The bench loads it exactly
// as it loads the gateway, so the ratio between the two is what Blotter's own work costs.
//   FLOOR_PORT, FLOOR_JWT_SECRET, NATS_URL, FLOOR_STREAM (created by the bench), FLOOR_SUBJECT_PREFIX
import { randomUUID } from 'node:crypto';
import fastifyJwt from '@fastify/jwt';
import Fastify from 'fastify';
import { connect, JSONCodec } from 'nats';
import Type from 'typebox';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const Body = Type.Object(
  {
    symbol: Type.String({ pattern: '^[A-Z0-9]{5,20}$' }),
    side: Type.Union([Type.Literal('BUY'), Type.Literal('SELL')]),
    type: Type.Union([Type.Literal('MARKET'), Type.Literal('LIMIT')]),
    quantity: Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,20})?$' }),
    price: Type.Optional(Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,20})?$' })),
    timeInForce: Type.Optional(Type.Literal('GTC')),
  },
  { additionalProperties: false },
);
interface OrderBody {
  symbol: string;
  side: string;
  type: string;
  quantity: string;
}

const prefix = env('FLOOR_SUBJECT_PREFIX');
const nc = await connect({ servers: env('NATS_URL') });
const js = nc.jetstream();
const codec = JSONCodec();
/** Last stored sequence of each user's subject, and the tail of each user's publish queue. */
const lastSeq = new Map<string, number>();
const queues = new Map<string, Promise<unknown>>();

async function append(userId: string, body: OrderBody): Promise<number> {
  const subject = `${prefix}.${userId}`;
  const ack = await js.publish(subject, codec.encode({ type: 'OrderPlaced', data: { orderId: randomUUID(), ...body } }), {
    msgID: randomUUID(),
    expect: { lastSubjectSequence: lastSeq.get(userId) ?? 0 },
  });
  lastSeq.set(userId, ack.seq);
  return ack.seq;
}

const app = Fastify({ logger: false });
await app.register(fastifyJwt, { secret: env('FLOOR_JWT_SECRET'), verify: { algorithms: ['HS256'] } });
app.post<{ Body: OrderBody }>('/api/orders', { schema: { body: Body } }, async (request, reply) => {
  const claims = await request.jwtVerify<{ sub: string }>();
  const previous = queues.get(claims.sub) ?? Promise.resolve();
  const next = previous.then(() => append(claims.sub, request.body));
  const tail = next.catch(() => {});
  queues.set(claims.sub, tail);
  void tail.then(() => {
    if (queues.get(claims.sub) === tail) queues.delete(claims.sub);
  });
  const seq = await next;
  return reply.status(201).send({ seq });
});
await app.listen({ port: Number(env('FLOOR_PORT')), host: '127.0.0.1' });
process.stdout.write('floor listening\n');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => nc.drain())
      .finally(() => process.exit(0));
  });
}
