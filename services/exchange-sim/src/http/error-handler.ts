import type { FastifyInstance } from 'fastify';
import { BinanceError, errors } from '../errors.ts';
import { AdminError } from './admin-auth.ts';

/** Binance errors keep their code and status; anything unexpected is a 500 the way Binance words it. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof BinanceError) return reply.code(err.httpStatus).send(err.toJSON());
    if (err instanceof AdminError) return reply.code(err.status).send({ error: err.message });
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({ error: (err as Error).message });
    req.log.error({ err }, 'unexpected error');
    return reply.code(500).send(errors.unknown().toJSON());
  });
}
