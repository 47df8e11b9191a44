// The WebSocket ticket: the session token is httpOnly, so page code cannot authenticate the socket
// with it. The UI server trades it for a short-lived, single-purpose ticket (`POST
// /api/auth/ws-ticket` on the gateway, an extension of the public contract) that the page sends as
// its first socket message, and fetches a new one for every reconnect.
import type { WsTicketResponse } from '@blotter/schemas';
import type { PageTicket } from '../live/ticket.ts';

export function pageTicket(gateway: WsTicketResponse, wsUrl: string): PageTicket {
  return { ticket: gateway.ticket, expiresAt: gateway.expiresAt, url: wsUrl };
}
