// The schema catalog for developers: every command, event, read model and HTTP body, each as the
// JSON Schema document `@blotter/schemas` builds (the same one the CLI prints and `make schemas`
// exports). A name may carry its version: /api/schemas/OrderPlaced.v1 or ?version=1.
import { SchemaListing } from '@blotter/schemas';
import { findSchemaDocument, schemaListing } from '@blotter/schemas/json-schema';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { HttpError } from '../errors.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/schemas', { schema: { tags: ['schemas'], response: { 200: SchemaListing } } }, async () => schemaListing());

  app.get(
    '/api/schemas/:name',
    {
      schema: {
        tags: ['schemas'],
        params: Type.Object({ name: Type.String({ maxLength: 100, description: 'A schema name, optionally versioned: OrderPlaced.v1' }) }),
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const found = findSchemaDocument(request.params.name, request.query.version);
      if (!found.ok) throw new HttpError('NOT_FOUND', found.message);
      return found.document;
    },
  );
};

export default routes;
