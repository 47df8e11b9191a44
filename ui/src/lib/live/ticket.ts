// The page's side of the ticket flow: ask the UI server (same origin, the httpOnly cookie rides
// along) for a fresh WebSocket ticket before every connection attempt.
import Type, { type Static } from 'typebox';
import { conform } from '../conform.ts';
import type { TicketResult } from './client.ts';

export const PageTicket = Type.Object({
  ticket: Type.String({ minLength: 1 }),
  expiresAt: Type.String(),
  url: Type.String({ pattern: '^wss?://' }),
});
export type PageTicket = Static<typeof PageTicket>;

export const TICKET_PATH = '/session/ws-ticket';

export async function fetchTicket(fetchImpl: typeof fetch): Promise<TicketResult> {
  let res: Response;
  try {
    res = await fetchImpl(TICKET_PATH, { method: 'POST', headers: { accept: 'application/json' }, credentials: 'same-origin' });
  } catch (err) {
    return { ok: false, unauthenticated: false, message: `cannot reach the UI server: ${String(err)}` };
  }
  if (res.status === 401) return { ok: false, unauthenticated: true, message: 'session expired' };
  if (!res.ok) return { ok: false, unauthenticated: false, message: `ticket request failed (${res.status})` };
  const ticket = conform(PageTicket, await res.json().catch(() => null));
  if (!ticket) return { ok: false, unauthenticated: false, message: 'malformed ticket answer' };
  return { ok: true, ticket: { ticket: ticket.ticket, url: ticket.url } };
}
