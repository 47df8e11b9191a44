// Liveness, readiness (NATS, Postgres, projection lag) and Prometheus metrics.
import { streamNames } from '@blotter/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { tags: ['operations'] } }, async () => ({ status: 'ok' }));

  /** Pending work per projector consumer; null when NATS cannot be asked. */
  const projectionLag = async (): Promise<Record<string, number> | null> => {
    try {
      const jsm = app.store.jsm;
      const lag: Record<string, number> = {};
      for await (const c of jsm.consumers.list(streamNames(app.store.namespace).events)) {
        if (!c.name.startsWith('projector-')) continue;
        lag[c.name] = c.num_pending + c.num_ack_pending;
        app.metrics.projectionLag.set({ consumer: c.name }, lag[c.name] ?? 0);
      }
      return lag;
    } catch {
      return null;
    }
  };

  app.get('/readyz', { schema: { tags: ['operations'] } }, async (_request, reply) => {
    const nats =
      !app.nc.isClosed() &&
      (await app.nc.flush().then(
        () => true,
        () => false,
      ));
    const postgres = await sql`select 1`.execute(app.db).then(
      () => true,
      () => false,
    );
    const lag = nats ? await projectionLag() : null;
    const ready = nats && postgres;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', nats, postgres, projectionLag: lag });
  });

  app.get('/metrics', { schema: { tags: ['operations'] } }, async (_request, reply) => {
    await projectionLag();
    const dlq = await app.store.jsm.streams.info(streamNames(app.store.namespace).deadLetters).catch(() => null);
    if (dlq) app.metrics.deadLetters.set(dlq.state.messages);
    return reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics());
  });
};

export default routes;
