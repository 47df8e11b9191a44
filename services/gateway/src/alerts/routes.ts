// /api/alerts (../shared/API.md "Price alerts"): set, list, cancel. Writes go through the alert
// decider; the list is the alerts read model with the channel version it reflects, like the other
// lists, so a client can line it up with the WebSocket `alerts` channel.
import { channelVersion, listAlerts, toAlertView } from '@blotter/read-models';
import { AlertIdParams, AlertList, AlertResponse, ErrorResponse, ListAlertsQuery, SetAlertRequest } from '@blotter/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { handleCancelAlert, handleSetAlert } from './commands.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const security = [{ bearer: [] }];

  app.post(
    '/api/alerts',
    {
      onRequest: [app.requireRole('trader')],
      schema: {
        tags: ['alerts'],
        security,
        description: 'Set a price alert: it triggers once, when the market price reaches its price from the given side.',
        body: SetAlertRequest,
        response: { 201: AlertResponse, 400: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const alert = await handleSetAlert(app, request.user.sub, request.body, request.id).catch((err) => {
        app.metrics.commands.inc({ command: 'SetAlert', outcome: 'error' });
        throw err;
      });
      app.metrics.commands.inc({ command: 'SetAlert', outcome: 'accepted' });
      app.metrics.events.inc({ type: 'AlertSet' });
      return reply.status(201).send({ alert: toAlertView(alert) });
    },
  );

  app.get(
    '/api/alerts',
    { schema: { tags: ['alerts'], security, querystring: ListAlertsQuery, response: { 200: AlertList, 400: ErrorResponse } } },
    async (request) => {
      const userId = request.user.sub;
      const [alerts, version] = await Promise.all([
        listAlerts(app.db, app.readSchema, userId, request.query.status ?? 'all'),
        channelVersion(app.db, app.readSchema, userId, 'alerts'),
      ]);
      return { alerts, version };
    },
  );

  app.delete(
    '/api/alerts/:alertId',
    {
      onRequest: [app.requireRole('trader')],
      schema: {
        tags: ['alerts'],
        security,
        params: AlertIdParams,
        response: { 204: Type.Null(), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      await handleCancelAlert(app, request.user.sub, request.params.alertId, request.id).catch((err) => {
        app.metrics.commands.inc({ command: 'CancelAlert', outcome: 'error' });
        throw err;
      });
      app.metrics.commands.inc({ command: 'CancelAlert', outcome: 'accepted' });
      app.metrics.events.inc({ type: 'AlertCancelled' });
      return reply.status(204).send(null);
    },
  );
};

export default routes;
