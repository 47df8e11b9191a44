// Serves the endpoint list as Binance's REST API. Per request, in Binance's order: the IP's
// request weight (429/418 before anything else), then the API key and signature for SIGNED
// endpoints, then the operation. The answer waits until the operation's changes are durable, and
// carries X-MBX-USED-WEIGHT-1M (every answer, errors included) and, for order placements,
// X-MBX-ORDER-COUNT-10S / -1D.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findAccount, verifySigned } from '../api/auth.ts';
import { type Endpoint, weightOf } from '../api/endpoint.ts';
import { ENDPOINTS } from '../api/endpoints.ts';
import { extractSignature } from '../api/signature.ts';
import { BinanceError } from '../errors.ts';
import { Params } from '../params.ts';
import type { Simulator } from '../simulator.ts';
import { paramsOf, rawBody, rawQuery } from './request-params.ts';

const usedWeight = new WeakMap<FastifyRequest, number>();

/** The weight header of an answer (also set on errors by the error handler). */
export function weightHeaders(req: FastifyRequest, reply: FastifyReply): void {
  const used = usedWeight.get(req);
  if (used !== undefined) reply.header('x-mbx-used-weight', String(used)).header('x-mbx-used-weight-1m', String(used));
}

async function serve(sim: Simulator, e: Endpoint, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const now = sim.now();
  let params: Params;
  let paramsError: unknown;
  try {
    params = paramsOf(req);
  } catch (err) {
    params = Params.fromPairs([]);
    paramsError = err;
  }
  const ip = req.ip;
  try {
    usedWeight.set(req, sim.ipLimits.spend(ip, weightOf(e, params), now).weight1m);
  } catch (err) {
    if (err instanceof BinanceError) usedWeight.set(req, sim.ipLimits.usage(ip, now).weight1m);
    throw err;
  }
  weightHeaders(req, reply);
  if (paramsError) throw paramsError;
  if (e.security === 'NONE') return durably(sim, () => e.run({ sim, params, now }));
  const header = req.headers['x-mbx-apikey'];
  const account = findAccount(sim, Array.isArray(header) ? header[0] : header);
  const { payload, signature } = extractSignature(rawQuery(req), rawBody(req));
  verifySigned(account, params, [payload], signature, now);
  try {
    return await durably(sim, () => e.run({ sim, params, now, account }));
  } finally {
    if (e.placesOrders) {
      const counts = sim.exchange.orderCounter.counts(account.apiKey, now);
      reply.header('x-mbx-order-count-10s', String(counts.tenSeconds)).header('x-mbx-order-count-1d', String(counts.day));
    }
  }
}

/** Runs an operation and answers (or fails) only once what it changed is on disk: a refusal may follow a change too (cancel-replace). */
async function durably(sim: Simulator, run: () => unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = run();
  } catch (err) {
    await sim.flushed().catch(() => undefined);
    throw err;
  }
  await sim.flushed();
  return result;
}

export function restRoutes(app: FastifyInstance, sim: Simulator): void {
  for (const e of ENDPOINTS) {
    if (!e.rest) continue;
    app.route({ method: e.rest.method, url: e.rest.path, handler: (req, reply) => serve(sim, e, req, reply) });
  }
}
