// Applies armed faults to /api/ requests. Faults that fire before the handler (429, 5xx-before)
// never touch the engine; delay and 5xx-after run the handler first, so the order is booked and
// only the answer is late or lost — the case an executor must reconcile.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../errors.ts';
import type { HttpFault } from '../faults.ts';
import type { Simulator } from '../simulator.ts';

const pending = new WeakMap<FastifyRequest, HttpFault>();

const body5xx = (status: number) =>
  status === 500
    ? { code: -1000, msg: 'An unknown error occurred while processing the request.' }
    : { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' };

export function installFaultHooks(app: FastifyInstance, sim: Simulator): void {
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/')) return;
    const fault = sim.faults.take(req.method, path);
    if (!fault) return;
    if (fault.kind === 'rateLimit') {
      reply.header('Retry-After', String(fault.retryAfterSeconds));
      return reply.code(429).send(errors.tooManyRequests(fault.retryAfterSeconds).toJSON());
    }
    if (fault.kind === 'error5xx' && !fault.afterExecute) {
      const status = fault.status ?? 503;
      return reply.code(status).send(body5xx(status));
    }
    pending.set(req, fault);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const fault = pending.get(req);
    if (!fault) return payload;
    pending.delete(req);
    if (fault.kind === 'delay') await sleep(fault.ms);
    if (fault.kind !== 'error5xx') return payload;
    const status = fault.status ?? 503;
    reply.code(status).header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(body5xx(status));
  });
}
