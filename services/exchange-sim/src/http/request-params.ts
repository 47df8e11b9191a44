import type { FastifyRequest } from 'fastify';
import { Params } from '../params.ts';

export const rawQuery = (req: FastifyRequest): string => {
  const q = req.url.indexOf('?');
  return q < 0 ? '' : req.url.slice(q + 1);
};

/** Form bodies arrive as the raw string (see app.ts) so signatures can be checked byte for byte. */
export const rawBody = (req: FastifyRequest): string => (typeof req.body === 'string' ? req.body : '');

const pairs = (raw: string): [string, string][] => (raw ? [...new URLSearchParams(raw)] : []);

export const paramsOf = (req: FastifyRequest): Params => Params.fromPairs([...pairs(rawQuery(req)), ...pairs(rawBody(req))]);
