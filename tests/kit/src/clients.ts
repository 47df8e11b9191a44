// Talking to a stack's gateway the way people do: register, call with a bearer token, listen on the
// WebSocket.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { eventually } from '../../../infra/lib/procs.mjs';
import { uniqueEmail } from './fixtures.ts';
import type { Stack } from './stack.ts';

export interface Session {
  token: string;
  userId: string;
  email: string;
}

/** Registers through an in-process gateway (inject). */
export async function register(app: FastifyInstance, email = uniqueEmail(), password = 'correct horse battery'): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password } });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { token: body.token, userId: body.user.id, email };
}

/** Registers a new trader over HTTP, as a person does: for a gateway running as a process. */
export async function registerAt(baseUrl: string, email = uniqueEmail(), password = 'correct horse battery'): Promise<Session> {
  const res = await call<{ token: string; user: { id: string } }>(baseUrl, 'POST', '/api/auth/register', { body: { email, password } });
  if (res.status !== 201) throw new Error(`register ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.token, userId: res.body.user.id, email };
}

/** An inject bound to a session's bearer token. */
export function as(app: FastifyInstance, session: Session) {
  return (opts: InjectOptions) => app.inject({ ...opts, headers: { authorization: `Bearer ${session.token}`, ...(opts.headers ?? {}) } });
}

/** A JSON call over HTTP to a gateway (in-process or a process), with an optional bearer token. */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** How many commits the namespace's event stream holds. */
export async function streamCount(stack: Pick<Stack, 'store'>): Promise<number> {
  const info = await stack.store.jsm.streams.info(stack.store.streams.events);
  return info.state.messages;
}

/** A WebSocket client on a gateway (a stack or its URL) that records every message; `token` authenticates it. */
export async function liveClient(gateway: Pick<Stack, 'url'> | string, token?: string) {
  const { WebSocket } = await import('ws');
  const base = typeof gateway === 'string' ? gateway : gateway.url;
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`);
  const messages: Record<string, unknown>[] = [];
  let closed: { code: number; reason: string } | null = null;
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  ws.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  // A socket the server drops may still report an error after its close: the test reads `closed()`.
  ws.on('error', () => {});
  if (token) ws.send(JSON.stringify({ type: 'auth', token }));
  return {
    ws,
    messages,
    closed: () => closed,
    send: (m: unknown) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
    /** The first message (recorded so far or to come) that satisfies `pred`. */
    next: <T = Record<string, unknown>>(pred: (m: Record<string, unknown>) => boolean, what = 'a message', timeoutMs = 20_000) =>
      eventually(() => messages.find(pred) as T | undefined, timeoutMs, what, 25),
    close: () => ws.close(),
  };
}
