// The developer-facing schema routes on a bare Fastify instance (they need no NATS or Postgres):
// the catalog listing, one document by plain or versioned name, and the AsyncAPI document.
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import t from 'tap';
import errorHandler from '../src/plugins/error-handler.ts';
import asyncApiRoutes from '../src/contract/asyncapi.ts';
import schemaRoutes from '../src/contract/schemas.ts';

async function build() {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  await app.register(errorHandler);
  await app.register(schemaRoutes);
  await app.register(asyncApiRoutes, { namespace: 'blotter' });
  return app;
}

t.test('GET /api/schemas lists {name, kind, version, subject?, description}', async (t) => {
  const app = await build();
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'GET', url: '/api/schemas' });
  t.equal(res.statusCode, 200);
  const placed = res.json().find((s: { name: string }) => s.name === 'OrderPlaced');
  t.same(Object.keys(placed).sort(), ['description', 'kind', 'name', 'subject', 'version']);
  t.match(placed, { kind: 'event', version: 2 });
});

t.test('GET /api/schemas/:name serves the current or a named version', async (t) => {
  const app = await build();
  t.teardown(() => app.close());
  const get = (url: string) => app.inject({ method: 'GET', url });
  const current = await get('/api/schemas/OrderPlaced');
  t.match(current.json(), {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://blotter.dev/schemas/OrderPlaced.json',
    'x-version': 2,
    properties: { baseAsset: Object },
    'x-previous-versions': [{ version: 1 }],
  });
  for (const url of ['/api/schemas/OrderPlaced?version=1', '/api/schemas/OrderPlaced.v1']) {
    const v1 = await get(url);
    t.equal(v1.statusCode, 200, url);
    t.match(v1.json(), { $id: 'https://blotter.dev/schemas/OrderPlaced.v1.json', 'x-version': 1, 'x-latest-version': 2 }, url);
    t.notOk('baseAsset' in v1.json().properties, `${url} is the v1 shape`);
  }
  const missing = await get('/api/schemas/OrderPlaced.v7');
  t.equal(missing.statusCode, 404);
  t.same(missing.json(), { error: { code: 'NOT_FOUND', message: 'OrderPlaced has no version 7 (versions 1 to 2)' } });
  t.equal((await get('/api/schemas/Nope')).statusCode, 404);
  const bad = await get('/api/schemas/OrderPlaced?version=first');
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().error.code, 'VALIDATION_FAILED');
});

t.test('GET /asyncapi.json serves the AsyncAPI 3.0 document of this namespace', async (t) => {
  const app = await build();
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'GET', url: '/asyncapi.json' });
  t.equal(res.statusCode, 200);
  t.match(res.json(), {
    asyncapi: '3.0.0',
    channels: { orderEvents: { address: '{ns}.evt.{partition}.{userId}.order.{orderId}' } },
    components: { parameters: { ns: { default: 'blotter' } }, messages: { OrderCommit: Object } },
  });
});
