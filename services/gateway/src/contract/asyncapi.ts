// GET /asyncapi.json: the AsyncAPI 3.0 document of the NATS side (subjects, streams, payloads), the
// event-driven twin of /openapi.json. Built once: it depends only on the schemas and the namespace.
import { asyncApiDocument } from '@blotter/schemas/asyncapi';
import type { FastifyPluginAsync } from 'fastify';

const routes: FastifyPluginAsync<{ namespace: string }> = async (app, options) => {
  const document = asyncApiDocument({ namespace: options.namespace });
  app.get('/asyncapi.json', { schema: { hide: true } }, async () => document);
};

export default routes;
