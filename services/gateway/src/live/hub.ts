// The live hub: authenticates sockets, keeps them per user, and routes each projector notice
// (`<ns>.changes.<userId>`, one NATS subscription per gateway) to that user's sockets only. Every
// gateway receives every notice, so a socket may live on any of several stateless gateways.
import { ChangeNotice, subjects as subjectsFor } from '@blotter/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Subscription } from 'nats';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import type { WebSocket } from 'ws';
import type { SessionClaims } from '../plugins/auth.ts';
import { MarketSubscriptions } from './market-subscriptions.ts';
import { LiveSession } from './session.ts';

const NoticeCheck = Compile(ChangeNotice);
const AuthCheck = Compile(Type.Object({ type: Type.Literal('auth'), token: Type.String({ maxLength: 4096 }) }));
const decoder = new TextDecoder();
/** A socket that has not authenticated by then is closed (4401). */
const AUTH_TIMEOUT_MS = 10_000;
const PING_INTERVAL_MS = 20_000;
/** Close code for a missing or bad token, as the contract says. */
export const CLOSE_UNAUTHORIZED = 4401;

export class LiveHub {
  private readonly sessions = new Map<string, Set<LiveSession>>();
  private readonly market: MarketSubscriptions;
  private sub: Subscription | null = null;
  private pinger: NodeJS.Timeout | null = null;
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly app: FastifyInstance) {
    this.market = new MarketSubscriptions(app.nc, subjectsFor(app.store.namespace, app.store.partitions));
  }

  start(): void {
    this.sub = this.app.nc.subscribe(this.app.store.subjects.allChanges, {
      callback: (err, msg) => {
        if (err) return;
        let notice: unknown;
        try {
          notice = JSON.parse(decoder.decode(msg.data));
        } catch {
          return;
        }
        if (!NoticeCheck.Check(notice)) return;
        for (const s of this.sessions.get(notice.userId) ?? []) s.onChange(notice);
      },
    });
    // Ping frames find dead connections (a closed laptop lid) that would otherwise linger.
    this.pinger = setInterval(() => {
      for (const ws of this.sockets) {
        const alive = ws as WebSocket & { blotterAlive?: boolean };
        if (alive.blotterAlive === false) ws.terminate();
        else {
          alive.blotterAlive = false;
          ws.ping();
        }
      }
    }, PING_INTERVAL_MS);
    this.pinger.unref();
  }

  stop(): void {
    this.sub?.unsubscribe();
    if (this.pinger) clearInterval(this.pinger);
    for (const ws of this.sockets) ws.close(1001, 'server shutting down');
    this.market.close();
  }

  get connections(): number {
    return this.sockets.size;
  }

  attach(socket: WebSocket, request: FastifyRequest): void {
    this.sockets.add(socket);
    const alive = socket as WebSocket & { blotterAlive?: boolean };
    socket.on('pong', () => {
      alive.blotterAlive = true;
    });
    let session: LiveSession | null = null;
    const authenticate = async (token: string): Promise<boolean> => {
      let claims: SessionClaims;
      try {
        claims = await this.app.verifySession(token);
      } catch {
        socket.close(CLOSE_UNAUTHORIZED, 'invalid or expired token');
        return false;
      }
      if (socket.readyState !== socket.OPEN) return false;
      session = new LiveSession(this.app, socket, claims.sub, this.market);
      const set = this.sessions.get(claims.sub) ?? new Set();
      set.add(session);
      this.sessions.set(claims.sub, set);
      session.send({ type: 'ready', userId: claims.sub });
      return true;
    };

    const timer = setTimeout(() => {
      if (!session) socket.close(CLOSE_UNAUTHORIZED, 'authenticate first');
    }, AUTH_TIMEOUT_MS);
    const queryToken = new URL(request.url, 'http://gateway').searchParams.get('token');
    let authenticating: Promise<boolean> | null = queryToken ? authenticate(queryToken) : null;

    socket.on('message', async (data, isBinary) => {
      let message: unknown;
      try {
        message = isBinary ? null : JSON.parse(data.toString());
      } catch {
        message = null;
      }
      if (authenticating) await authenticating;
      if (!session) {
        if (AuthCheck.Check(message)) {
          authenticating = authenticate(message.token);
          if (await authenticating) clearTimeout(timer);
        } else socket.close(CLOSE_UNAUTHORIZED, 'the first message must be {"type":"auth","token":"..."}');
        return;
      }
      try {
        await (session as LiveSession).onMessage(message);
      } catch (err) {
        this.app.log.error({ err }, 'live message failed');
      }
    });

    socket.on('close', () => {
      clearTimeout(timer);
      this.sockets.delete(socket);
      const s = session as LiveSession | null;
      if (!s) return;
      s.close();
      const set = this.sessions.get(s.userId);
      set?.delete(s);
      if (set?.size === 0) this.sessions.delete(s.userId);
    });
  }
}
