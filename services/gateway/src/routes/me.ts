// The caller's profile and venue keys. Keys are written encrypted; only their fingerprint is ever
// returned, logged or put in an event.
import { deleteVenueKeys, findUserById, keyFingerprint, setUserVenue, storeVenueKeys } from '@blotter/accounts';
import { uuidv7 } from '@blotter/eventstore';
import { ErrorResponse, Me, VenueKeysRequest } from '@blotter/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { HttpError } from '../errors.ts';
import type { RouteOptions } from './options.ts';

const routes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { keyRing }) => {
  app.addHook('onRequest', app.authenticate);

  const accountEvent = async (userId: string, correlationId: string, event: Parameters<typeof app.store.append>[1][number]) => {
    const subject = app.store.subjects.account(userId);
    const last = await app.store.last(subject);
    await app.store.append(
      { commitId: uuidv7(), subject, aggregateId: userId, userId, occurredAt: new Date().toISOString(), correlationId },
      [event],
      last?.seq ?? 0,
      last?.hash ?? null,
    );
  };

  app.get(
    '/api/me',
    { schema: { tags: ['account'], security: [{ bearer: [] }], response: { 200: Me, 401: ErrorResponse } } },
    async (request) => {
      const user = await findUserById(app.accounts, request.user.sub);
      if (!user) throw new HttpError('UNAUTHENTICATED', 'this account no longer exists');
      return {
        id: user.id,
        email: user.email,
        roles: user.roles,
        venue: { kind: user.venue, keyFingerprint: await keyFingerprint(app.accounts, user.id, user.venue) },
      };
    },
  );

  app.put(
    '/api/me/venue-keys',
    {
      schema: { tags: ['account'], security: [{ bearer: [] }], body: VenueKeysRequest, response: { 204: Type.Null(), 400: ErrorResponse } },
    },
    async (request, reply) => {
      const userId = request.user.sub;
      const { venue, apiKey, apiSecret } = request.body;
      const keyFp = await storeVenueKeys(app.accounts, keyRing, userId, { venue, apiKey, apiSecret });
      await setUserVenue(app.accounts, userId, venue);
      await accountEvent(userId, request.id, { type: 'VenueKeysStored', data: { userId, venue, keyFingerprint: keyFp } });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/me/venue-keys',
    { schema: { tags: ['account'], security: [{ bearer: [] }], response: { 204: Type.Null() } } },
    async (request, reply) => {
      const userId = request.user.sub;
      const user = await findUserById(app.accounts, userId);
      if (!user) throw new HttpError('UNAUTHENTICATED', 'this account no longer exists');
      // Paper keys are Blotter's own simulator account and stay; other venue keys are removed and
      // the user trades on paper again.
      if (user.venue !== 'paper') {
        await deleteVenueKeys(app.accounts, userId, user.venue);
        await setUserVenue(app.accounts, userId, 'paper');
        await accountEvent(userId, request.id, { type: 'VenueKeysRemoved', data: { userId, venue: user.venue } });
      }
      return reply.status(204).send(null);
    },
  );
};

export default routes;
