// The schema catalog for developers: every command, event, read model and HTTP body.
import { catalog, catalogEntry } from '@blotter/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { HttpError } from '../errors.ts';

const Listing = Type.Array(
  Type.Object({
    name: Type.String(),
    kind: Type.String(),
    version: Type.Integer(),
    subject: Type.Optional(Type.String()),
    description: Type.String(),
  }),
);

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/schemas', { schema: { tags: ['schemas'], response: { 200: Listing } } }, async () =>
    catalog.map(({ name, kind, version, subject, description }) => ({ name, kind, version, description, ...(subject ? { subject } : {}) })),
  );

  app.get(
    '/api/schemas/:name',
    { schema: { tags: ['schemas'], params: Type.Object({ name: Type.String({ maxLength: 100 }) }) } },
    async (request) => {
      const entry = catalogEntry(request.params.name);
      if (!entry) throw new HttpError('NOT_FOUND', `no schema named ${request.params.name}`);
      return {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: entry.name,
        description: entry.description,
        'x-kind': entry.kind,
        'x-version': entry.version,
        ...(entry.subject ? { 'x-subject': entry.subject } : {}),
        ...entry.schema,
        examples: entry.examples,
        ...(entry.previousVersions?.length
          ? { 'x-previous-versions': entry.previousVersions.map((schema, i) => ({ version: i + 1, schema })) }
          : {}),
      };
    },
  );
};

export default routes;
