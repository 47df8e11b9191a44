// One edge where errors become HTTP answers, all in Binance's `{code, msg}` shape: Binance errors
// keep their code and status (and Retry-After for 429/418), framework refusals (unparseable bodies,
// oversized requests, unknown routes) get the closest Binance code, anything unexpected is a 500
// -1000 as Binance words it. Admin endpoints (not Binance) answer `{error}`.
import type { FastifyError, FastifyInstance } from 'fastify';
import { AccountError } from '../simulator.ts';
import { BinanceError, errors } from '../errors.ts';
import { AdminError } from './admin-auth.ts';
import { weightHeaders } from './rest.ts';

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    weightHeaders(req, reply);
    if (err instanceof BinanceError) {
      if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.code(err.httpStatus).send(err.toJSON());
    }
    if (err instanceof AdminError) return reply.code(err.status).send({ error: err.message });
    if (err instanceof AccountError) return reply.code(400).send({ error: err.message });
    const status = err.statusCode;
    if (status === 413) return reply.code(413).send(errors.tooManyParams().toJSON());
    if (status !== undefined && status >= 400 && status < 500) return reply.code(400).send(errors.malformed().toJSON());
    req.log.error({ err }, 'unexpected error');
    return reply.code(500).send(errors.unknown().toJSON());
  });
  app.setNotFoundHandler((req, reply) => {
    weightHeaders(req, reply);
    return reply.code(404).send(errors.unsupported().toJSON());
  });
}
