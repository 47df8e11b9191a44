// The caller's profile and venue keys. Keys are written encrypted; only their fingerprint is ever
// returned, logged or put in an event.
import {
  type AccountTables,
  deleteVenueKeys,
  findUserById,
  fingerprint,
  keyFingerprint,
  loadVenueKeys,
  lockUserVenue,
  setUserVenue,
  storeVenueKeys,
} from '@blotter/accounts';
import { uuidv7 } from '@blotter/eventstore';
import {
  type AccountState,
  removeVenueKeys,
  removeVenueKeysWithHoldings,
  storeVenueKeys as storeVenueKeysOn,
  storeVenueKeysWithHoldings,
} from '@blotter/orders';
import { type AccountEvent, ErrorResponse, Me, type Venue, VenueKeysRequest } from '@blotter/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Transaction } from 'kysely';
import Type from 'typebox';
import { HttpError } from '../errors.ts';
import { fetchVenueHoldings } from './venue-holdings.ts';
import type { RouteOptions } from '../route-options.ts';

const routes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { keyRing, config }) => {
  app.addHook('onRequest', app.authenticate);
  const venueUrl = (venue: Venue) => (venue === 'paper' ? config.SIM_URL : config.BINANCE_TESTNET_URL);
  // Whether the new venue's account is read is settled before the user's row is locked (a venue is
  // not asked while a lock is held). Another change of the same user in between moves the venue:
  // this one is then refused, unapplied, rather than recorded without that venue's balances.
  const venueChanged = () => new HttpError('CONCURRENCY_CONFLICT', 'the venue changed while this request ran; send it again');

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

  /**
   * One venue-key change: the row writes and the event commit together or not at all. The user's
   * row is locked first, so changes of one user (two tabs, two gateways) run one at a time and the
   * events are in the order the rows were written. The event is decided by the account aggregate
   * and appended last, inside the transaction: if the append fails, the rows roll back and nothing
   * changed. (Only a failure of the COMMIT itself, after the append, could leave an event whose
   * change did not take effect.)
   */
  const changeKeys = (
    userId: string,
    correlationId: string,
    change: (
      trx: Transaction<AccountTables>,
      venue: Venue,
      command: { commandId: string; userId: string; at: string },
    ) => Promise<((account: AccountState) => AccountEvent[]) | null>,
  ) =>
    app.accounts.transaction().execute(async (trx) => {
      const venue = await lockUserVenue(trx, userId);
      if (!venue) throw new HttpError('UNAUTHENTICATED', 'this account no longer exists');
      const command = { commandId: uuidv7(), userId, at: new Date().toISOString() };
      const decide = await change(trx, venue, command);
      if (!decide) return;
      const target = {
        subject: app.store.subjects.account(userId),
        aggregateId: userId,
        commitId: command.commandId,
        occurredAt: command.at,
        correlationId,
      };
      await app.accountRepo.decide(userId, target, decide);
    });

  app.put(
    '/api/me/venue-keys',
    {
      schema: {
        tags: ['account'],
        security: [{ bearer: [] }],
        body: VenueKeysRequest,
        response: { 204: Type.Null(), 400: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const userId = request.user.sub;
      const { venue, apiKey, apiSecret } = request.body;
      // Testnet keys, and any keys that move the user to another venue, are tried on that venue
      // first: keys it refuses are not stored, and the balances it reports are recorded with the
      // keys, so the user trades on that account's balances at once. (New paper keys while on paper
      // change nothing else: the paper account's balances are Blotter's own record.)
      const moving = (await findUserById(app.accounts, userId))?.venue !== venue;
      const holdings = venue === 'binance-testnet' || moving ? await fetchVenueHoldings(venueUrl(venue), apiKey, apiSecret) : null;
      await changeKeys(userId, request.id, async (trx, current, command) => {
        if (!holdings && current !== venue) throw venueChanged();
        await storeVenueKeys(trx, keyRing, userId, { venue, apiKey, apiSecret });
        await setUserVenue(trx, userId, venue);
        const cmd = { ...command, venue, keyFingerprint: fingerprint(apiKey) };
        return (account) => (holdings ? storeVenueKeysWithHoldings(cmd, holdings, account) : storeVenueKeysOn(cmd, account));
      });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/me/venue-keys',
    {
      schema: {
        tags: ['account'],
        security: [{ bearer: [] }],
        response: { 204: Type.Null(), 409: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const userId = request.user.sub;
      // Paper keys are Blotter's own simulator account and stay; other venue keys are removed and
      // the user trades on paper again, with the paper account's balances, read before the change.
      // (A user registered straight onto another venue has no paper account to read.)
      const paper = await loadVenueKeys(app.accounts, keyRing, userId, 'paper');
      const leaving = (await findUserById(app.accounts, userId))?.venue !== 'paper';
      const holdings = paper && leaving ? await fetchVenueHoldings(venueUrl('paper'), paper.apiKey, paper.apiSecret) : null;
      await changeKeys(userId, request.id, async (trx, venue, command) => {
        if (venue === 'paper') return null;
        if (!holdings && paper) throw venueChanged();
        await deleteVenueKeys(trx, userId, venue);
        await setUserVenue(trx, userId, 'paper');
        return (account) => (holdings ? removeVenueKeysWithHoldings(command, holdings, account) : removeVenueKeys(command, account));
      });
      return reply.status(204).send(null);
    },
  );
};

export default routes;
