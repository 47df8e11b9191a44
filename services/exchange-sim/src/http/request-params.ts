import type { FastifyRequest } from 'fastify';
import { Params } from '../params.ts';

export const rawQuery = (req: FastifyRequest): string => {
  const q = req.url.indexOf('?');
  return q < 0 ? '' : req.url.slice(q + 1);
};

/**
 * Every body arrives as its raw string (see app.ts), whatever its content type: Binance reads
 * parameters from a form-encoded body and signs it byte for byte, and the official connector sends
 * `Content-Type: application/json` with an empty body. GET bodies are ignored, as on Binance.
 */
export const rawBody = (req: FastifyRequest): string => (req.method !== 'GET' && typeof req.body === 'string' ? req.body : '');

const pairs = (raw: string): [string, string][] => (raw ? [...new URLSearchParams(raw)] : []);

export const paramsOf = (req: FastifyRequest): Params => Params.fromSources(pairs(rawQuery(req)), pairs(rawBody(req)));
