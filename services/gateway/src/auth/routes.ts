// Registration, login and WebSocket tickets.
import {
  createUser,
  DUMMY_HASH_PROMISE,
  EmailTakenError,
  findUserByEmail,
  hashPassword,
  storeVenueKeys,
  verifyPassword,
} from '@blotter/accounts';
import { uuidv7 } from '@blotter/eventstore';
import { openAccount } from '@blotter/orders';
import { AuthResponse, Credentials, ErrorResponse, type Role, WsTicketResponse } from '@blotter/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AttemptWindow } from './attempts.ts';
import { HttpError } from '../errors.ts';
import { openPaperAccount } from './paper-account.ts';
import type { RouteOptions } from '../route-options.ts';

const WS_TICKET_TTL_SECONDS = 60;

const routes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { config, keyRing }) => {
  const perEmail = new AttemptWindow(app.store, 'email', config.LOGIN_ATTEMPTS_PER_MINUTE);
  const perAddress = new AttemptWindow(app.store, 'address', config.LOGIN_ATTEMPTS_PER_MINUTE * 5);
  const session = (user: { id: string; email: string; roles: Role[] }) => ({
    token: app.signSession({ sub: user.id, email: user.email, roles: user.roles }),
    user: { id: user.id, email: user.email, roles: user.roles },
  });

  app.post(
    '/api/auth/register',
    { schema: { tags: ['auth'], body: Credentials, response: { 201: AuthResponse, 400: ErrorResponse, 409: ErrorResponse } } },
    async (request, reply) => {
      const { email, password } = request.body;
      if (await findUserByEmail(app.accounts, email)) throw new EmailTakenError(email);
      const id = uuidv7();
      const venue = config.DEFAULT_VENUE;
      const paper = venue === 'paper' ? await openPaperAccount(config.SIM_URL, config.SIM_ADMIN_TOKEN) : null;
      // The account's opening (and its paper deposits) is an event first: if anything after this
      // fails, the event belongs to a user id nobody holds and changes nothing.
      const at = new Date().toISOString();
      const open = { commandId: `open-${id}`, userId: id, at, email, venue, deposits: paper?.balances ?? [] };
      const target = {
        subject: app.store.subjects.account(id),
        aggregateId: id,
        commitId: open.commandId,
        occurredAt: at,
        correlationId: request.id,
      };
      await app.accountRepo.decide(id, target, (account) => openAccount(open, account));
      const user = await createUser(app.accounts, { id, email, passwordHash: await hashPassword(password), roles: ['trader'], venue });
      if (paper) await storeVenueKeys(app.accounts, keyRing, id, { venue: 'paper', apiKey: paper.apiKey, apiSecret: paper.apiSecret });
      return reply.status(201).send(session(user));
    },
  );

  app.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], body: Credentials, response: { 200: AuthResponse, 401: ErrorResponse } },
      // Two limits against password guessing: per account (one account guessed from many
      // addresses) and, five times higher, per address (many accounts sprayed from one address).
      preHandler: async (request, reply) => {
        const email = request.body.email.trim().toLowerCase();
        const [byEmail, byAddress] = await Promise.all([perEmail.hit(email), perAddress.hit(request.ip)]);
        const wait = Math.max(byEmail, byAddress);
        if (wait > 0) {
          reply.header('retry-after', String(wait));
          throw new HttpError('RATE_LIMITED', `too many login attempts; retry in ${wait} s`);
        }
      },
    },
    async (request) => {
      const user = await findUserByEmail(app.accounts, request.body.email);
      // Verify against a dummy hash for unknown emails so both failures take the same time.
      const ok = await verifyPassword(request.body.password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
      if (!user || !ok) throw new HttpError('INVALID_CREDENTIALS', 'email or password is wrong');
      return session(user);
    },
  );

  app.post(
    '/api/auth/ws-ticket',
    {
      onRequest: [app.authenticate],
      schema: {
        tags: ['auth'],
        description: 'A short-lived token that only opens /api/ws (for browsers that keep the session token in an httpOnly cookie).',
        security: [{ bearer: [] }],
        response: { 200: WsTicketResponse },
      },
    },
    async (request) => {
      const { sub, email, roles } = request.user;
      return {
        ticket: app.signSession({ sub, email, roles, scope: 'ws' }, WS_TICKET_TTL_SECONDS),
        expiresAt: new Date(Date.now() + WS_TICKET_TTL_SECONDS * 1000).toISOString(),
      };
    },
  );
};

export default routes;
