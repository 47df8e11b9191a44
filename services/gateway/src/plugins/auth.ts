// Authentication: HS256 session tokens (@fastify/jwt), verified with the algorithm pinned so a
// token claiming `alg: none` or an asymmetric algorithm is refused. Roles travel in the token;
// `requireRole` guards routes. WebSocket tickets are tokens with scope "ws" that only /api/ws takes.
import fastifyJwt from '@fastify/jwt';
import type { Role } from '@blotter/schemas';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SessionUsers } from '../auth/sessions.ts';
import { HttpError } from '../errors.ts';

export interface SessionClaims {
  sub: string;
  email: string;
  roles: Role[];
  scope?: 'ws';
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: SessionClaims;
    user: SessionClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    requireRole: (role: Role) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    signSession: (claims: SessionClaims, ttlSeconds?: number) => string;
    /** Verifies a token and that its user exists; the claims carry the user's current roles. */
    verifySession: (token: string) => Promise<SessionClaims>;
  }
}

export default fp<{ secret: string; ttlSeconds: number }>(
  async (app, { secret, ttlSeconds }) => {
    const users = new SessionUsers(app.accounts);
    await app.register(fastifyJwt, {
      secret,
      sign: { algorithm: 'HS256', expiresIn: ttlSeconds },
      verify: { algorithms: ['HS256'] },
    });

    app.decorate('signSession', (claims: SessionClaims, ttl = ttlSeconds) => app.jwt.sign(claims, { expiresIn: ttl }));
    /** The claims with the user's current roles, or null when the user is gone. */
    const current = async (claims: SessionClaims): Promise<SessionClaims | null> => {
      const user = await users.find(claims.sub);
      return user ? { ...claims, email: user.email, roles: user.roles } : null;
    };

    app.decorate('verifySession', async (token: string) => {
      const claims = await current(app.jwt.verify<SessionClaims>(token));
      if (!claims) throw new HttpError('UNAUTHENTICATED', 'this account no longer exists');
      return claims;
    });

    app.decorate('authenticate', async (request: FastifyRequest) => {
      try {
        await request.jwtVerify();
      } catch {
        throw new HttpError('UNAUTHENTICATED', 'a valid bearer token is required');
      }
      // A WebSocket ticket is good for opening one socket, not for the REST API.
      if (request.user.scope === 'ws') throw new HttpError('UNAUTHENTICATED', 'a WebSocket ticket cannot call the REST API');
      const claims = await current(request.user);
      if (!claims) throw new HttpError('UNAUTHENTICATED', 'this account no longer exists');
      request.user = claims;
    });

    app.decorate('requireRole', (role: Role) => async (request: FastifyRequest) => {
      if (!request.user.roles.includes(role)) throw new HttpError('FORBIDDEN', `this needs the ${role} role`);
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
