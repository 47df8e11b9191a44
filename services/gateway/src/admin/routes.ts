// Operator API: the kill switch. Authorized by the ADMIN_TOKEN (header `x-admin-token`), a secret
// separate from user sessions; without ADMIN_TOKEN configured the API is disabled. Each halt and
// resume is an event on the control aggregate.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { TradingControl } from './trading-control.ts';
import { HttpError } from '../errors.ts';

const Status = Type.Object({
  halted: Type.Boolean(),
  by: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});

const routes: FastifyPluginAsyncTypebox<{ adminToken: string; control: TradingControl }> = async (app, { adminToken, control }) => {
  const expected = Buffer.from(adminToken);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (adminToken === '') throw new HttpError('FORBIDDEN', 'the admin API is disabled (ADMIN_TOKEN is not configured)');
    const given = Buffer.from(String(request.headers['x-admin-token'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new HttpError('UNAUTHENTICATED', 'a valid x-admin-token header is required');
  });
  const schema = { tags: ['operations'], security: [{ admin: [] }], response: { 200: Status } };

  app.get('/api/admin/trading', { schema }, async () => control.status());
  app.post(
    '/api/admin/halt',
    {
      schema: { ...schema, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }) },
    },
    async (request) => control.halt(`admin-api:${request.ip}`, request.body.reason),
  );
  app.post('/api/admin/resume', { schema }, async (request) => control.resume(`admin-api:${request.ip}`));
};

export default routes;
