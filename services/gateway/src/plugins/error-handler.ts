// One error handler and one not-found handler: every failure leaves in the contract's envelope.
import fp from 'fastify-plugin';
import { RETRY_AFTER_SECONDS, toHttp } from '../errors.ts';

export default fp(
  async (app) => {
    app.setErrorHandler((err, request, reply) => {
      const { status, body, expected, retryAfterSeconds } = toHttp(err);
      if (expected) request.log.info({ code: body.error.code, status }, body.error.message);
      else request.log.error({ err }, 'request failed');
      if (status === 429 && err && typeof err === 'object' && 'headers' in err)
        reply.headers((err as { headers: Record<string, string> }).headers);
      if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
      if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return reply.status(status).send(body);
    });
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
    );
  },
  { name: 'error-handler' },
);
